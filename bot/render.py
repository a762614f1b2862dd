"""Excel workbooks and PNG images built from summaries and leaderboards (no database)."""

import io
import unicodedata
from functools import cache

import matplotlib
from matplotlib import font_manager, ft2font
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch
from matplotlib.ticker import PercentFormatter
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from bot import texts
from bot.figures import Leaderboard, Summary, TopPerson, UnitFigures
from bot.metrics import RENDER_SECONDS
from bot.ranking import half_up, score_label
from bot.summary_text import due_of, person_label
from bot.unit_names import kind_of, kind_of_all
from db.models import Level

matplotlib.use("Agg")  # no display; the images are only ever saved as PNG

FONT = "DejaVu Sans"
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TOTALS_FILL = PatternFill("solid", fgColor="F2F2F2")
COUNT_FORMAT = "#,##0"
PERCENT_FORMAT = "0.0%"
DATE_FORMAT = "DD/MM/YYYY"
TOP3_COLORS = ["#F9D976", "#D9DEE4", "#EBC09A"]
HEAD = 6  # the summary sheet's header row, under four title rows and a blank one
BOARD_WIDTH, ROW_HEIGHT, PERSON_HEIGHT = 7.0, 0.42, 0.32  # leaderboard image, in inches
PERSON_WIDTH = 46  # characters of "name – hamlet" left of the totals


def _timed(kind: str):
    """Time each call in tcn_render_seconds{kind}. `kind` stays on the function: a drawing
    process's metrics are never scraped, so it sends the time back (bot.attachments)."""

    def mark(draw):
        timed = RENDER_SECONDS.labels(kind).time()(draw)
        timed.render_kind = kind
        return timed

    return mark


def warm_up() -> bytes:
    """A tiny PNG with text: a fresh process's first drawing loads matplotlib and its fonts
    (seconds), so the drawing process does it once when it starts (bot.attachments)."""
    fig = Figure(figsize=(1, 1), dpi=10)
    fig.text(0.5, 0.5, FONT, fontfamily=FONT)
    return _png(fig)


@_timed("workbook")
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


def chart_bars(summary: Summary) -> tuple[bool, list[tuple[str, float, str]]]:
    """Whether the chart shows % of target, and its bars best first: (label, value, value text).
    The % is the summary text's own score (`UnitFigures.score`), so the two never disagree."""
    with_targets = any(
        row.targets.get(ind.code) for row in summary.rows for ind in summary.indicators
    )
    bars = []
    for row in summary.rows:
        if with_targets:
            score = row.score()
            value = score or 0.0
            text = (
                score_label(value, by_target=True) if score is not None else texts.CHART_NO_TARGET
            )
        else:
            value = sum(row.counts.get(ind.code, 0) for ind in summary.indicators)
            text = texts.number(value)
        bars.append((_nfc(texts.shorten(row.unit.name, 30)), value, text))
    bars.sort(key=lambda bar: -bar[1])
    return with_targets, bars


@_timed("chart")
def progress_chart(summary: Summary) -> bytes:
    """A PNG of horizontal bars: % of target reached per row (or total activity if nobody has targets)."""
    with_targets, bars = chart_bars(summary)
    fig = Figure(figsize=(6.4, 1.7 + 0.36 * max(len(bars), 2)), dpi=170)
    ax = fig.add_subplot()
    title = texts.CHART_TITLE if with_targets else texts.CHART_COUNT_TITLE
    ax.set_title(
        _nfc(title.format(unit=summary.unit.name, period=summary.period_label)),
        fontsize=12,
        fontweight="bold",
        fontfamily=FONT,
    )
    if not bars:
        ax.text(0.5, 0.5, texts.NO_DATA, ha="center", va="center", fontsize=12, fontfamily=FONT)
        ax.set_axis_off()
        return _png(fig)
    _draw_bars(ax, bars, with_targets=with_targets)
    _chart_axes(ax, with_targets=with_targets)
    due = due_of(summary)
    if with_targets and due is not None:  # where every bar should be by today
        ax.axvline(float(due), color="#6A1B9A", linestyle=":", linewidth=1.4)
        label = texts.CHART_DUE.format(percent=half_up(100 * due))
        ax.text(float(due), -0.6, label, color="#6A1B9A", fontsize=9, fontfamily=FONT)
    fig.tight_layout()
    return _png(fig)


def _draw_bars(ax, bars: list[tuple[str, float, str]], *, with_targets: bool) -> None:
    """The bars, best at the top, coloured by how far they got, each with its value beside it."""
    ys = range(len(bars))
    values = [b[1] for b in bars]
    colors = (
        ["#2E7D32" if v >= 1 else "#1565C0" if v >= 0.5 else "#EF6C00" for v in values]
        if with_targets
        else ["#1565C0"] * len(bars)
    )
    ax.barh(ys, values, color=colors, height=0.65)
    ax.set_yticks(ys, [b[0] for b in bars], fontfamily=FONT, fontsize=11)
    ax.set_ylim(len(bars) - 0.5, -0.5)  # best at the top, no empty margin
    top = max(*values, 1)
    ax.set_xlim(0, top * 1.18)
    for y, (_, value, text) in zip(ys, bars, strict=True):
        ax.text(
            value + top * 0.01,
            y,
            text,
            va="center",
            fontsize=10,
            fontfamily=FONT,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1, "alpha": 0.8},
        )


def _chart_axes(ax, *, with_targets: bool) -> None:
    """The 100% line and percent ticks (with targets), the axis label, a light grid."""
    if with_targets:
        ax.axvline(1.0, color="#C62828", linestyle="--", linewidth=1.2)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    label = texts.CHART_PERCENT_AXIS if with_targets else texts.CHART_COUNT_AXIS
    ax.set_xlabel(label, fontfamily=FONT)
    ax.tick_params(labelfontfamily=FONT)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)


@_timed("leaderboard")
def leaderboard_image(board: Leaderboard) -> bytes:
    """A PNG of the hamlet ranking for a group chat: top 3 highlighted, best improver and top people."""
    people = board.top_people[:5]
    height = 1.25 + ROW_HEIGHT * max(len(board.entries), 1) + 0.5
    if board.most_improved:
        height += ROW_HEIGHT
    if people:
        height += ROW_HEIGHT + PERSON_HEIGHT * len(people)
    fig = Figure(figsize=(BOARD_WIDTH, height), dpi=150, facecolor="white")
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, BOARD_WIDTH)
    ax.set_ylim(height, 0)  # y in inches from the top
    ax.set_axis_off()
    middle = BOARD_WIDTH / 2
    _write(ax, middle, 0.35, texts.BOARD_TITLE, ha="center", fontsize=18, fontweight="bold")
    subtitle = f"{board.unit.name} · {board.period_label}"
    _write(ax, middle, 0.75, subtitle, ha="center", fontsize=11)
    y = _board_entries(ax, board, y=1.25) + 0.2
    if board.most_improved:
        improved = texts.MOST_IMPROVED.format(unit=board.most_improved.name)
        mid = y + ROW_HEIGHT / 2
        _write(ax, 0.4, mid, improved, fontsize=12, fontweight="bold", color="#2E7D32")
        y += ROW_HEIGHT
    if people:
        _board_people(ax, people, y=y)
    return _png(fig)


def _write(ax, x: float, y: float, text: str, **style) -> None:
    """One line of the leaderboard image, centred on y."""
    ax.text(x, y, _nfc(text), va="center_baseline", fontfamily=FONT, **style)


def _board_entries(ax, board: Leaderboard, *, y: float) -> float:
    """One line per ranked hamlet (the top 3 on a coloured band); returns the y below them."""
    if not board.entries:
        _write(
            ax,
            BOARD_WIDTH / 2,
            y + ROW_HEIGHT / 2,
            texts.NO_DATA,
            ha="center",
            fontsize=12,
            color="#666666",
        )
        y += ROW_HEIGHT
    for entry in board.entries:
        mid = y + ROW_HEIGHT / 2
        top3 = entry.rank <= 3
        if top3:
            ax.add_patch(
                FancyBboxPatch(
                    (0.25, y + 0.04),
                    BOARD_WIDTH - 0.5,
                    ROW_HEIGHT - 0.08,
                    boxstyle="round,pad=0,rounding_size=0.08",
                    color=TOP3_COLORS[entry.rank - 1],
                )
            )
        weight = "bold" if top3 else "normal"
        _write(ax, 0.7, mid, str(entry.rank), ha="right", fontsize=13, fontweight=weight)
        _write(ax, 0.95, mid, texts.shorten(entry.unit.name, 30), fontsize=12, fontweight=weight)
        _write(ax, 5.45, mid, entry.score_label, ha="right", fontsize=12, fontweight=weight)
        change, color = _rank_change(entry.rank_change)
        _write(ax, 6.35, mid, change, ha="center", fontsize=11, color=color, fontweight="bold")
        y += ROW_HEIGHT
    return y


def _board_people(ax, people: list[TopPerson], *, y: float) -> None:
    """The members who did most, numbered, with their hamlets and totals."""
    _write(ax, 0.4, y + ROW_HEIGHT / 2, texts.BOARD_TOP_PEOPLE, fontsize=12, fontweight="bold")
    y += ROW_HEIGHT
    for n, person in enumerate(people, 1):
        label = f"{n}. {texts.shorten(person_label(person), PERSON_WIDTH)}"
        _write(ax, 0.7, y + PERSON_HEIGHT / 2, label, fontsize=11)
        _write(ax, 5.45, y + PERSON_HEIGHT / 2, texts.number(person.total), ha="right", fontsize=11)
        y += PERSON_HEIGHT


def _rank_change(change: int | None) -> tuple[str, str]:
    """The rank-change mark and its colour: ▲2, ▼1, – or "mới"."""
    if change is None:
        return texts.BOARD_NEW, "#1565C0"
    if change == 0:
        return "–", "#757575"
    up, down = ("▲", "▼") if _has_glyphs("▲▼") else ("+", "-")
    return (f"{up}{change}", "#2E7D32") if change > 0 else (f"{down}{-change}", "#C62828")


@cache
def _has_glyphs(chars: str) -> bool:
    """Whether the image font draws all these characters."""
    charmap = ft2font.FT2Font(font_manager.findfont(FONT)).get_charmap()
    return all(ord(c) in charmap for c in chars)


def _nfc(text: str) -> str:
    """Composed Vietnamese letters (decomposed input would draw detached marks)."""
    return unicodedata.normalize("NFC", text)


def _png(fig: Figure) -> bytes:
    """The figure as PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", facecolor="white")
    return buf.getvalue()
