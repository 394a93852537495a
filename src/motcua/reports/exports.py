"""The statistics of a period laid out as the statistics form of settled procedures
(Biểu 06: received — carried over and new by channel —, settled early, on time or late, and
in progress, on track or overdue; SPEC §3 item 18), on the page and in XLSX and CSV files.

One layout serves the page, the workbook and the flat file. Beside the form's columns it
keeps the counts the form has no column for (dossiers moved in or out by an agency merge,
withdrawn or cancelled), so the columns add up, and the rates of the service index
(Decision 766/QĐ-TTg): online submission, full online, online payment, digitisation and
electronic results.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from .periods import Period
from .statistics import Report, Row, ratio

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"

FORM_NAME = pgettext_lazy("statistics form", "Form 06")
FORM_TITLE = pgettext_lazy(
    "statistics form", "Situation and results of settling administrative procedures"
)
GROUPED_BY = {
    "field": pgettext_lazy("statistics form", "Field"),
    "procedure": pgettext_lazy("statistics form", "Procedure"),
    "agency": pgettext_lazy("statistics form", "Agency"),
}


@dataclass(frozen=True)
class Leaf:
    """A column of numbers; ``rate`` columns hold percentages (empty: nothing to measure)."""

    key: str
    label: str
    value: Callable[[Row], int | float | None]
    rate: bool = False


@dataclass(frozen=True)
class Group:
    label: str
    children: tuple


def _counter(name: str) -> Callable[[Row], int]:
    return lambda row: row.counts[name]


#: Columns in the order of the form, then the counts and rates it does not have.
LAYOUT = (
    Group(
        pgettext_lazy("statistics form", "Dossiers received for settlement"),
        (
            Leaf(
                "received_total",
                pgettext_lazy("statistics form", "Total"),
                lambda r: r.received_total,
            ),
            Group(
                pgettext_lazy("statistics form", "Of which"),
                (
                    Leaf(
                        "carried_over",
                        pgettext_lazy("statistics form", "Carried over from the previous period"),
                        lambda r: r.carried_over,
                    ),
                    Group(
                        pgettext_lazy("statistics form", "Newly received"),
                        (
                            Leaf(
                                "received_online",
                                pgettext_lazy("statistics form", "Online"),
                                lambda r: r.received_online_total,
                            ),
                            Leaf(
                                "received_desk",
                                pgettext_lazy("statistics form", "In person"),
                                _counter("received_desk"),
                            ),
                            Leaf(
                                "received_postal",
                                pgettext_lazy("statistics form", "Public postal service"),
                                _counter("received_postal"),
                            ),
                        ),
                    ),
                    Leaf(
                        "moved_in",
                        pgettext_lazy("statistics form", "Moved in by an agency reorganisation"),
                        _counter("moved_in"),
                    ),
                ),
            ),
        ),
    ),
    Group(
        pgettext_lazy("statistics form", "Settlement results"),
        (
            Group(
                pgettext_lazy("statistics form", "Dossiers settled"),
                (
                    Leaf("settled", pgettext_lazy("statistics form", "Total"), lambda r: r.settled),
                    Group(
                        pgettext_lazy("statistics form", "Returned in time"),
                        (
                            Leaf(
                                "settled_early",
                                pgettext_lazy("statistics form", "Early"),
                                _counter("settled_early"),
                            ),
                            Leaf(
                                "settled_on_time",
                                pgettext_lazy("statistics form", "On time"),
                                _counter("settled_on_time"),
                            ),
                        ),
                    ),
                    Leaf(
                        "settled_late",
                        pgettext_lazy("statistics form", "Returned late"),
                        _counter("settled_late"),
                    ),
                ),
            ),
            Group(
                pgettext_lazy("statistics form", "Dossiers being settled"),
                (
                    Leaf(
                        "in_progress",
                        pgettext_lazy("statistics form", "Total"),
                        lambda r: r.in_progress,
                    ),
                    Leaf(
                        "on_track",
                        pgettext_lazy("statistics form", "Not yet due"),
                        lambda r: r.on_track,
                    ),
                    Leaf(
                        "overdue", pgettext_lazy("statistics form", "Overdue"), lambda r: r.overdue
                    ),
                ),
            ),
            Leaf(
                "left_unsettled",
                pgettext_lazy("statistics form", "Withdrawn, cancelled or moved out"),
                lambda r: r.left_unsettled,
            ),
        ),
    ),
    Group(
        pgettext_lazy("statistics form", "Rates (%)"),
        (
            Leaf(
                "online_rate",
                pgettext_lazy("statistics form", "Submitted online"),
                lambda r: ratio(r.received_online_total, r.received_new),
                rate=True,
            ),
            Leaf(
                "full_online_rate",
                pgettext_lazy("statistics form", "Full online"),
                lambda r: ratio(r.counts["received_full_online"], r.received_new),
                rate=True,
            ),
            Leaf(
                "online_payment_rate",
                pgettext_lazy("statistics form", "Fees paid online"),
                lambda r: ratio(r.counts["paid_online"], r.counts["paid"]),
                rate=True,
            ),
            Leaf(
                "digitisation_rate",
                pgettext_lazy("statistics form", "Digitised"),
                lambda r: ratio(r.counts["digitised"], r.received_new),
                rate=True,
            ),
            Leaf(
                "e_result_rate",
                pgettext_lazy("statistics form", "Electronic results"),
                lambda r: ratio(r.counts["e_results"], r.counts["returned"]),
                rate=True,
            ),
        ),
    ),
)


def leaves(nodes=LAYOUT) -> list[Leaf]:
    found = []
    for node in nodes:
        found.extend([node] if isinstance(node, Leaf) else leaves(node.children))
    return found


def _depth(nodes) -> int:
    return max(1 if isinstance(n, Leaf) else 1 + _depth(n.children) for n in nodes)


@dataclass(frozen=True)
class HeaderCell:
    """A heading of the merged header: at ``row``/``col`` of the number columns."""

    label: str
    row: int
    col: int
    rowspan: int
    colspan: int


def header_rows(nodes=LAYOUT) -> list[list[HeaderCell]]:
    """The merged header of the number columns, one list of headings per header row."""
    depth = _depth(nodes)
    rows = [[] for _ in range(depth)]

    def place(children, level: int, col: int) -> int:
        for node in children:
            if isinstance(node, Leaf):
                rows[level].append(HeaderCell(str(node.label), level, col, depth - level, 1))
                col += 1
            else:
                width = len(leaves(node.children))
                rows[level].append(HeaderCell(str(node.label), level, col, 1, width))
                place(node.children, level + 1, col)
                col += width
        return col

    place(nodes, 0, 0)
    return rows


def flat_headings(nodes=LAYOUT, prefix=()) -> list[str]:
    """Each number column named by its path through the header, for flat files."""
    names = []
    for node in nodes:
        path = (*prefix, str(node.label))
        if isinstance(node, Leaf):
            names.append(" - ".join(path))
        else:
            names.extend(flat_headings(node.children, path))
    return names


def period_label(kind: str, period: Period) -> str:
    first = period.first
    if kind == "month":
        return _("Month %(month)s") % {"month": f"{first:%m/%Y}"}
    if kind == "quarter":
        return _("Quarter %(n)d/%(year)d") % {"n": (first.month - 1) // 3 + 1, "year": first.year}
    if kind == "half_year":
        return _("Half-year %(n)d/%(year)d") % {
            "n": (first.month - 1) // 6 + 1,
            "year": first.year,
        }
    return _("Year %(year)d") % {"year": first.year}


def scope_name(agency) -> str:
    return agency.name if agency is not None else _("Whole province")


@dataclass(frozen=True)
class Line:
    number: str
    label: str
    values: list
    total: bool = False


def lines(report: Report) -> list[Line]:
    """The body of the table: one line per group, then the total."""
    columns = leaves()
    body = [
        Line(str(n), row.label, [c.value(row) for c in columns])
        for n, row in enumerate(report.rows, start=1)
    ]
    body.append(
        Line(
            "",
            pgettext("statistics form", "Grand total"),
            [c.value(report.total) for c in columns],
            total=True,
        )
    )
    return body


def _titles(report: Report, kind: str, agency) -> list[str]:
    period = report.period
    taken = timezone.localtime(report.taken_at)
    return [
        f"{FORM_NAME}. {str(FORM_TITLE).upper()}",
        _("Reporting unit: %(unit)s") % {"unit": scope_name(agency)},
        _("Reporting period: %(period)s (from %(start)s to %(end)s)")
        % {
            "period": period_label(kind, period),
            "start": f"{period.start_day:%d/%m/%Y}",
            "end": f"{period.end_day:%d/%m/%Y}",
        },
        _("Figures as at %(moment)s. Unit: dossiers.") % {"moment": f"{taken:%H:%M %d/%m/%Y}"},
    ]


def to_xlsx(report: Report, *, kind: str, agency=None) -> bytes:
    """The workbook of the form: title rows, the merged header, a line per group, the total."""
    book = Workbook()
    sheet = book.active
    sheet.title = str(FORM_NAME)
    columns = leaves()
    width = 2 + len(columns)
    bold = Font(bold=True)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)

    titles = _titles(report, kind, agency)
    for n, text in enumerate(titles, start=1):
        sheet.cell(row=n, column=1, value=text).font = Font(bold=n == 1, size=13 if n == 1 else 11)
        sheet.merge_cells(start_row=n, start_column=1, end_row=n, end_column=width)
    top = len(titles) + 2
    headers = header_rows()
    depth = len(headers)
    for col, text in (
        (1, pgettext("statistics form", "No.")),
        (2, str(GROUPED_BY[report.grouping])),
    ):
        sheet.cell(row=top, column=col, value=text)
        sheet.merge_cells(start_row=top, start_column=col, end_row=top + depth - 1, end_column=col)
    for row in headers:
        for cell in row:
            r, c = top + cell.row, 3 + cell.col
            sheet.cell(row=r, column=c, value=cell.label)
            if cell.rowspan > 1 or cell.colspan > 1:
                sheet.merge_cells(
                    start_row=r,
                    start_column=c,
                    end_row=r + cell.rowspan - 1,
                    end_column=c + cell.colspan - 1,
                )
    for r in range(top, top + depth):
        for c in range(1, width + 1):
            cell = sheet.cell(row=r, column=c)
            cell.font, cell.alignment, cell.border = bold, centred, box

    r = top + depth
    for line in lines(report):
        number = int(line.number) if line.number else None
        values = [number, line.label, *line.values]
        for c, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            cell.border = box
            if line.total:
                cell.font = bold
            if c > 2 and columns[c - 3].rate:
                cell.number_format = "0.00"
        r += 1

    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 40
    for c in range(3, width + 1):
        sheet.column_dimensions[get_column_letter(c)].width = 12
    sheet.freeze_panes = sheet.cell(row=top + depth, column=3)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_csv(report: Report, *, kind: str, agency=None) -> bytes:
    """The same columns in a flat file: UTF-8 with a byte-order mark, so spreadsheet programs
    read the Vietnamese letters; numbers unformatted, rates with a decimal point."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [pgettext("statistics form", "No."), str(GROUPED_BY[report.grouping]), *flat_headings()]
    )
    for line in lines(report):
        values = ["" if v is None else v for v in line.values]
        writer.writerow([line.number, line.label, *values])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def file_name(kind: str, period: Period, agency, extension: str) -> str:
    scope = agency.code if agency is not None else "toan-tinh"
    return f"bieu-06-{kind.replace('_', '-')}-{period.first:%Y-%m}-{scope}.{extension}"
