"""The summary as an Excel workbook: a table with totals, and the report lines."""

import io

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from bot import texts
from bot.figures import Summary, UnitFigures
from bot.ranking import half_up
from bot.render.timing import timed
from bot.summary_text import due_of
from bot.unit_names import kind_of, kind_of_all
from db.models import Level

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TOTALS_FILL = PatternFill("solid", fgColor="F2F2F2")
COUNT_FORMAT = "#,##0"
PERCENT_FORMAT = "0.0%"
DATE_FORMAT = "DD/MM/YYYY"
HEAD = 6  # the summary sheet's header row, under four title rows and a blank one


@timed("workbook")
def summary_workbook(summary: Summary) -> bytes:
    """The summary as an .xlsx: a "Tổng hợp" table with totals and a "Chi tiết" sheet of report lines."""
    wb = Workbook()
    _summary_sheet(wb.active, summary)
    _detail_sheet(wb.create_sheet(texts.SHEET_DETAIL), summary)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _summary_sheet(ws, summary: Summary) -> None:
    """Fill the "Tổng hợp" sheet: a title, one row per unit with its place above, the totals."""
    ws.title = texts.SHEET_SUMMARY
    levels, headers = _summary_columns(summary)
    _title_rows(ws, summary, width=len(headers))
    _header_row(ws, HEAD, headers)
    last = HEAD
    for no, row in enumerate(summary.rows, 1):
        last += 1
        _put_row(ws, last, [no, *_places(row, levels), *_figures(row, summary)])
    last += 1
    _totals_row(ws, last, summary, levels=levels, width=len(headers))
    _number_formats(ws, headers, range(HEAD + 1, last + 1))
    _fit_widths(ws, headers, range(HEAD + 1, last))
    ws.freeze_panes = ws.cell(HEAD + 1, 2 + 2 * len(levels))
    ws.print_title_rows = f"{HEAD}:{HEAD}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _summary_columns(summary: Summary) -> tuple[list[str], list[str]]:
    """The levels present above the rows (province down to hamlet), and every column header."""
    present = {ref.level for row in summary.rows for ref in row.hierarchy}
    levels = [level for level in texts.LEVEL_COLUMNS if level in present]
    kind = _hamlet_kind(summary)
    headers = [texts.COL_NO] + [
        h.format(**kind) for level in levels for h in texts.LEVEL_COLUMNS[level]
    ]
    for ind in summary.indicators:
        headers += [ind.name, texts.COL_TARGET, texts.COL_PERCENT]
    return levels, headers + [texts.COL_REPORTERS, texts.COL_MEMBERS, texts.COL_REPORTS]


def _hamlet_kind(summary: Summary) -> dict[str, str]:
    """The hamlets' own kind for the column headers ({"kind": "ấp", "Kind": "Ấp"}), or a
    neutral pair when they differ."""
    refs = [ref for row in summary.rows for ref in row.hierarchy if ref.level == Level.HAMLET]
    if len({kind_of(ref) for ref in refs}) > 1:
        return texts.HAMLET_COLUMNS_MIXED
    kind = kind_of_all(refs, Level.HAMLET)
    return {"kind": kind, "Kind": texts.capital(kind)}


def _title_rows(ws, summary: Summary, *, width: int) -> None:
    """The report's title, unit, period and date made, each centred across the table."""
    made = summary.made_at.strftime("%d/%m/%Y %H:%M")
    lines = [texts.REPORT_TITLE, summary.unit.name, summary.period_label]
    lines += [texts.MADE_AT.format(when=made), *_due_line(summary)]
    for r, text in enumerate(lines, 1):
        _put(ws, r, 1, text)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        ws.cell(r, 1).alignment = Alignment(horizontal="center")
        ws.cell(r, 1).font = Font(bold=r < 3, size=14 if r == 1 else 12, italic=r >= 4)


def _due_line(summary: Summary) -> list[str]:
    """While the period runs and has targets: the share due by today (row 5, above the table)."""
    due = due_of(summary)
    if due is None or not summary.totals.targets:
        return []
    today = summary.made_at.date()
    return [
        texts.EXCEL_DUE.format(
            day=f"{today:%d/%m/%Y}",
            percent=half_up(100 * due),
            days=(today - summary.start).days + 1,
            total=(summary.end - summary.start).days + 1,
        )
    ]


def _header_row(ws, row: int, headers: list[str]) -> None:
    """Bold, shaded, wrapped column headers."""
    for c, text in enumerate(headers, 1):
        cell = _put(ws, row, c, text)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[row].height = 60


def _places(row: UnitFigures, levels: list[str]) -> list:
    """Code and name of the row's unit at each level shown (blank where it has none)."""
    by_level = {ref.level: ref for ref in row.hierarchy}
    values = []
    for level in levels:
        ref = by_level.get(level)
        values += [ref.code, ref.name] if ref else [None, None]
    return values


def _totals_row(ws, row: int, summary: Summary, *, levels: list[str], width: int) -> None:
    """The bold, shaded totals under the table, its label across the place columns."""
    _put_row(
        ws,
        row,
        [texts.TOTALS_LABEL] + [None] * (2 * len(levels)) + _figures(summary.totals, summary),
    )
    if levels:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=1 + 2 * len(levels))
    for c in range(1, width + 1):
        ws.cell(row, c).font = Font(bold=True)
        ws.cell(row, c).fill = TOTALS_FILL
        ws.cell(row, c).border = BORDER  # merged cells too


def _number_formats(ws, headers: list[str], rows: range) -> None:
    """Counts with thousands separators, the "% đạt" columns as percentages."""
    for c, header in enumerate(headers, 1):
        fmt = PERCENT_FORMAT if header == texts.COL_PERCENT else COUNT_FORMAT
        for r in rows:
            if isinstance(ws.cell(r, c).value, int | float):
                ws.cell(r, c).number_format = fmt


def _figures(row: UnitFigures, summary: Summary) -> list:
    """Achieved / target / % per indicator, then reporters, members and reports."""
    values = []
    for ind in summary.indicators:
        values += [
            row.counts.get(ind.code, 0),
            row.targets.get(ind.code),
            row.achievement(ind.code),
        ]
    return values + [row.reporters, row.members, row.reports]


def _detail_sheet(ws, summary: Summary) -> None:
    """Fill the "Chi tiết" sheet: one row per report line."""
    kind = _hamlet_kind(summary)
    headers = [
        texts.COL_DATE,
        texts.COL_HAMLET_CODE.format(**kind),
        texts.COL_HAMLET.format(**kind),
        texts.COL_PERSON,
    ]
    headers += [ind.name for ind in summary.indicators] + [texts.COL_NOTE, texts.COL_SOURCE]
    _header_row(ws, 1, headers)
    for r, line in enumerate(summary.lines, 2):
        counts = [line.counts.get(ind.code) for ind in summary.indicators]
        _put_row(
            ws,
            r,
            [line.activity_date, line.hamlet_code, line.hamlet_name, line.person_name]
            + counts
            + [line.note, line.source],
        )
        ws.cell(r, 1).number_format = DATE_FORMAT
        for c in range(5, 5 + len(counts)):
            ws.cell(r, c).number_format = COUNT_FORMAT
        ws.cell(r, len(headers) - 1).alignment = Alignment(wrap_text=True, vertical="top")
    _fit_widths(ws, headers, range(2, len(summary.lines) + 2))
    ws.column_dimensions["A"].width = 12
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(summary.lines) + 1}"


def _put(ws, row: int, col: int, value):
    """Write one cell; text is cleaned and always stays text (a leading "=" is not a formula)."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = ws.cell(row, col)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _put_row(ws, row: int, values: list) -> None:
    """Write a table row with borders."""
    for c, value in enumerate(values, 1):
        _put(ws, row, c, value).border = BORDER


def _fit_widths(ws, headers: list[str], rows: range) -> None:
    """Column widths from the longest value; headers wrap onto at most about three lines."""
    for c, header in enumerate(headers, 1):
        longest = max(max(len(word) for word in header.split()), -(-len(header) // 3))
        for r in rows:
            value = ws.cell(r, c).value
            if isinstance(value, float):
                value = f"{value:.1%}"
            if value is not None:
                longest = max(longest, len(f"{value:,}" if isinstance(value, int) else str(value)))
        ws.column_dimensions[get_column_letter(c)].width = min(max(longest + 2, 7), 40)
