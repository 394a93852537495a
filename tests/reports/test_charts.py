"""Server-side SVG charts: valid XML, named for assistive technology, every label escaped,
bars in proportion to their values (SPEC §5: accessible, no script)."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

from motcua.reports import charts

SVG = "{http://www.w3.org/2000/svg}"
NASTY = 'Sở <Tư> "pháp" & Co'


def parse(svg):
    return ET.fromstring(str(svg))


def test_a_column_chart_is_named_and_labels_every_bar():
    svg = charts.column_chart(
        "Hồ sơ giải quyết", "Đúng hạn và trễ hạn theo tháng", ["03/2026", "04/2026"],
        [charts.Series("Đúng hạn", [4, 2]), charts.Series("Trễ hạn", [1, 0])],
    )  # fmt: skip
    root = parse(svg)
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text == "Hồ sơ giải quyết"
    assert desc.text == "Đúng hạn và trễ hạn theo tháng"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert {"03/2026", "04/2026", "Đúng hạn", "Trễ hạn", "4", "2", "1"} <= set(texts)
    heights = [
        float(r.get("height")) for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None
    ]
    # Bars of 4, 1, 2 and 0 against the top value 4.
    assert heights[0] / 4 == heights[1] / 1 == heights[2] / 2
    assert heights[3] == 0


def test_labels_are_escaped_and_the_chart_still_parses():
    svg = charts.bar_chart(NASTY, NASTY, [(NASTY, 3, None), ("</svg><script>", 1, None)])
    assert "<script>" not in svg
    root = parse(svg)
    assert root.find(f"{SVG}title").text == NASTY
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert NASTY in texts
    assert "</svg><script>" in texts


def test_horizontal_bars_are_proportional_to_the_largest_value_or_their_maximum():
    root = parse(charts.bar_chart("Trễ hạn", "Theo cơ quan", [("A", 8, None), ("B", 2, None)]))
    bars = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    widths = [float(r.get("width")) for r in bars]
    assert widths[0] == 4 * widths[1]
    root = parse(
        charts.bar_chart("Chỉ số", "Theo nhóm", [("Công khai", 9, 18), ("Số hóa", 22, 22)])
    )
    bars = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    frames = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == "none"]
    assert float(bars[0].get("width")) * 2 == float(frames[0].get("width"))
    assert float(bars[1].get("width")) == float(frames[1].get("width"))
    assert "9 / 18" in [t.text for t in root.iter(f"{SVG}text")]


def test_values_are_written_the_vietnamese_way():
    root = parse(charts.bar_chart("Chỉ số", "Theo nhóm", [("Hài lòng", Decimal("5.68"), 6)]))
    assert "5,68 / 6" in [t.text for t in root.iter(f"{SVG}text")]
    root = parse(charts.bar_chart("Hồ sơ", "Theo cơ quan", [("Sở", 12345, None)]))
    assert "12.345" in [t.text for t in root.iter(f"{SVG}text")]


def test_a_line_chart_marks_each_point_and_skips_missing_ones():
    root = parse(
        charts.line_chart(
            "Tiếp nhận", "Theo tháng", ["01", "02", "03"], [charts.Series("Hồ sơ", [10, None, 5])]
        )
    )
    points = list(root.iter(f"{SVG}circle"))
    assert len(points) == 2
    ys = [float(p.get("cy")) for p in points]
    baseline = float(next(root.iter(f"{SVG}line")).get("y1"))
    assert (baseline - ys[0]) == 2 * (baseline - ys[1])


def test_each_chart_has_its_own_ids():
    first = charts.line_chart("a", "b", ["1"], [charts.Series("s", [1])])
    second = charts.line_chart("a", "b", ["1"], [charts.Series("s", [1])])
    ids = re.findall(r'id="([^"]+)"', first + second)
    assert len(ids) == len(set(ids)) == 4


def test_the_palette_contrasts_with_white():
    def luminance(hex_colour):
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    for colour in (*charts.PALETTE, charts.GRID):
        assert 1.05 / (luminance(colour) + 0.05) >= 3, colour
    assert 1.05 / (luminance(charts.TEXT) + 0.05) >= 4.5
