"""Charts drawn on the server as inline SVG, readable without script (SPEC §5: no front-end
build step; WCAG 2.1 AA): each chart names itself in ``<title>`` and ``<desc>``, labels every
bar and point with its value in text, and uses colours with at least 3:1 contrast against the
white background (text at 4.5:1). Every piece of text is escaped.
"""

from dataclasses import dataclass
from itertools import count
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe

#: Dark enough against white for graphics (≥ 3:1) and distinct from one another.
PALETTE = ("#1d4f91", "#b3261e", "#2e7d32", "#6a1b9a", "#8a5300")
TEXT = "#1b1b1b"
GRID = "#767676"
FONT = 'font-family="sans-serif" font-size="12"'
_ids = count(1)


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float | int | None]


def _number(value) -> str:
    """Vietnamese notation: 1.234 and 5,68."""
    if value is None:
        return "–"
    if value != int(value):
        return f"{float(value):.2f}".rstrip("0").replace(".", ",")
    return f"{int(value):,}".replace(",", ".")


def _text(x, y, content, *, anchor="start", extra="") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{TEXT}"{extra}>'
        f"{escape(str(content))}</text>"
    )


def _svg(title: str, desc: str, width: int, height: int, body: list[str]) -> SafeString:
    n = next(_ids)
    # Every text in ``body`` went through escape().
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="chart{n}-title chart{n}-desc" {FONT}>'
        f'<title id="chart{n}-title">{escape(title)}</title>'
        f'<desc id="chart{n}-desc">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def _legend(series: list[Series], y: float, left: float) -> list[str]:
    parts, x = [], left
    for i, s in enumerate(series):
        colour = PALETTE[i % len(PALETTE)]
        parts.append(f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="12" height="12" fill="{colour}"/>')
        parts.append(_text(x + 16, y, s.name))
        x += 24 + 7 * len(s.name)
    return parts


def _scale_top(values) -> float:
    top = max([v for v in values if v is not None] or [0])
    return top if top > 0 else 1


def column_chart(title: str, desc: str, categories: list[str], series: list[Series]) -> SafeString:
    """Grouped vertical bars, one group per category (e.g. a month), one bar per series,
    each bar labelled with its value."""
    left, right, top, bottom = 48, 12, 28, 56
    slot = max(48, 16 * len(series) + 20)
    width = left + right + slot * max(1, len(categories))
    height = 280
    plot = height - top - bottom
    peak = _scale_top(v for s in series for v in s.values)
    bar = (slot - 12) / max(1, len(series))
    body = [
        f'<line x1="{left}" y1="{top + plot}" x2="{width - right}" y2="{top + plot}" '
        f'stroke="{GRID}"/>',
        _text(left - 6, top + plot + 4, "0", anchor="end"),
        _text(left - 6, top + 4, _number(peak), anchor="end"),
    ]
    for c, category in enumerate(categories):
        x0 = left + c * slot + 6
        for i, s in enumerate(series):
            value = s.values[c] or 0
            h = plot * value / peak
            x = x0 + i * bar
            body.append(
                f'<rect x="{x:.1f}" y="{top + plot - h:.1f}" width="{bar - 2:.1f}" '
                f'height="{h:.1f}" fill="{PALETTE[i % len(PALETTE)]}">'
                f"<title>{escape(f'{s.name}, {category}: {_number(s.values[c])}')}</title></rect>"
            )
            body.append(
                _text(x + (bar - 2) / 2, top + plot - h - 3, _number(s.values[c]), anchor="middle",
                      extra=' font-size="10"')
            )  # fmt: skip
        body.append(_text(x0 + (slot - 12) / 2, top + plot + 16, category, anchor="middle"))
    body += _legend(series, height - 12, left)
    return _svg(title, desc, width, height, body)


def line_chart(title: str, desc: str, categories: list[str], series: list[Series]) -> SafeString:
    """One line per series over the categories, each point labelled with its value."""
    left, right, top, bottom = 48, 36, 28, 56
    step = 64
    width = left + right + step * max(1, len(categories) - 1) + 24
    height = 280
    plot = height - top - bottom
    peak = _scale_top(v for s in series for v in s.values)
    body = [
        f'<line x1="{left}" y1="{top + plot}" x2="{width - right}" y2="{top + plot}" '
        f'stroke="{GRID}"/>',
        _text(left - 6, top + plot + 4, "0", anchor="end"),
        _text(left - 6, top + 4, _number(peak), anchor="end"),
    ]
    xs = [left + 12 + step * c for c in range(len(categories))]
    for c, category in enumerate(categories):
        body.append(_text(xs[c], top + plot + 16, category, anchor="middle"))
    for i, s in enumerate(series):
        colour = PALETTE[i % len(PALETTE)]
        points = [
            (xs[c], top + plot - plot * v / peak) for c, v in enumerate(s.values) if v is not None
        ]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            body.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
        for c, v in enumerate(s.values):
            if v is None:
                continue
            y = top + plot - plot * v / peak
            body.append(
                f'<circle cx="{xs[c]:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}">'
                f"<title>{escape(f'{s.name}, {categories[c]}: {_number(v)}')}</title></circle>"
            )
            body.append(_text(xs[c], y - 7, _number(v), anchor="middle", extra=' font-size="10"'))
    body += _legend(series, height - 12, left)
    return _svg(title, desc, width, height, body)


def bar_chart(
    title: str,
    desc: str,
    items: list[tuple[str, float | int | None, float | int | None]],
    *,
    unit: str = "",
) -> SafeString:
    """Horizontal bars, one per ``(label, value, maximum)``: against its own maximum (a
    group's points) when given, else against the largest value (e.g. late dossiers by
    agency). The label stands left of the bar, the value (and maximum) right of it."""
    label_width, bar_width, value_width, row = 260, 320, 110, 28
    width = label_width + bar_width + value_width
    height = 12 + row * max(1, len(items))
    peak = _scale_top(value for _label, value, _max in items)
    body = []
    for r, (label, value, maximum) in enumerate(items):
        y = 8 + r * row
        whole = maximum or peak
        share = min(1.0, (value or 0) / whole) if whole else 0.0
        w = bar_width * share
        shown = _number(value) + (f" / {_number(maximum)}" if maximum else "") + unit
        if maximum:
            body.append(
                f'<rect x="{label_width}" y="{y:.1f}" width="{bar_width}" height="18" '
                f'fill="none" stroke="{GRID}"/>'
            )
        body.append(
            f'<rect x="{label_width}" y="{y:.1f}" width="{w:.1f}" height="18" '
            f'fill="{PALETTE[0]}"><title>{escape(f"{label}: {shown}")}</title></rect>'
        )
        body.append(_text(label_width - 8, y + 13, _shorten(label), anchor="end"))
        body.append(_text(label_width + bar_width + 8, y + 13, shown))
    return _svg(title, desc, width, height, body)


def _shorten(label: str, limit: int = 40) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
