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

from bot.figures import Leaderboard, Summary, UnitFigures
from bot.ranking import score_label

matplotlib.use("Agg")  # no display; the images are only ever saved as PNG

# --- workbook labels ---
SHEET_SUMMARY = "Tổng hợp"
SHEET_DETAIL = "Chi tiết"
REPORT_TITLE = "BÁO CÁO KẾT QUẢ HOẠT ĐỘNG TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG"
MADE_AT = "Ngày lập: {when}"
COL_NO = "STT"
LEVEL_COLUMNS = {  # level -> (code header, name header), from the top of the hierarchy down
    "province": ("Mã tỉnh", "Tỉnh/Thành phố"),
    "district": ("Mã huyện", "Quận/Huyện"),
    "commune": ("Mã xã", "Xã/Phường"),
    "hamlet": ("Mã thôn", "Thôn/Tổ dân phố"),
}
COL_TARGET = "Chỉ tiêu"
COL_PERCENT = "% đạt"
COL_REPORTERS = "Thành viên báo cáo"
COL_MEMBERS = "Tổng thành viên"
COL_REPORTS = "Số báo cáo"
TOTALS_LABEL = "Tổng cộng"
COL_DATE = "Ngày"
COL_HAMLET_CODE = "Mã thôn"
COL_HAMLET = "Thôn"
COL_PERSON = "Thành viên"
COL_NOTE = "Ghi chú"
COL_SOURCE = "Nguồn"

# --- image labels ---
FONT = "DejaVu Sans"
CHART_TITLE = "Tiến độ so với chỉ tiêu – {unit}\n{period}"
CHART_COUNT_TITLE = "Số lượt hoạt động – {unit}\n{period}"
CHART_PERCENT_AXIS = "% đạt chỉ tiêu (trung bình các chỉ tiêu)"
CHART_COUNT_AXIS = "Tổng số lượt (mọi chỉ tiêu)"
CHART_NO_TARGET = "chưa có chỉ tiêu"
NO_DATA = "Chưa có số liệu"
BOARD_TITLE = "Bảng xếp hạng"
BOARD_NEW = "mới"
BOARD_MOST_IMPROVED = "Tiến bộ nhất: {unit}"
BOARD_TOP_PEOPLE = "Gương mặt tiêu biểu"

THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TOTALS_FILL = PatternFill("solid", fgColor="F2F2F2")
COUNT_FORMAT = "#,##0"
PERCENT_FORMAT = "0.0%"
DATE_FORMAT = "DD/MM/YYYY"
TOP3_COLORS = ["#F9D976", "#D9DEE4", "#EBC09A"]


def summary_workbook(summary: Summary) -> bytes:
    """The summary as an .xlsx: a "Tổng hợp" table with totals and a "Chi tiết" sheet of report lines."""
    wb = Workbook()
    _summary_sheet(wb.active, summary)
    _detail_sheet(wb.create_sheet(SHEET_DETAIL), summary)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _summary_sheet(ws, summary: Summary) -> None:
    """Fill the "Tổng hợp" sheet."""
    ws.title = SHEET_SUMMARY
    present = {ref.level for row in summary.rows for ref in row.hierarchy}
    levels = [level for level in LEVEL_COLUMNS if level in present]
    headers = [COL_NO] + [h for level in levels for h in LEVEL_COLUMNS[level]]
    for ind in summary.indicators:
        headers += [ind.name, COL_TARGET, COL_PERCENT]
    headers += [COL_REPORTERS, COL_MEMBERS, COL_REPORTS]
    width = len(headers)

    made = summary.made_at.strftime("%d/%m/%Y %H:%M")
    for r, text in enumerate(
        [REPORT_TITLE, summary.unit.name, summary.period_label, MADE_AT.format(when=made)], 1
    ):
        _put(ws, r, 1, text)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
        ws.cell(r, 1).alignment = Alignment(horizontal="center")
        ws.cell(r, 1).font = Font(bold=r < 3, size=14 if r == 1 else 12, italic=r == 4)

    head = 6
    for c, text in enumerate(headers, 1):
        cell = _put(ws, head, c, text)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[head].height = 60

    r = head
    for no, row in enumerate(summary.rows, 1):
        r += 1
        by_level = {ref.level: ref for ref in row.hierarchy}
        values = [no]
        for level in levels:
            ref = by_level.get(level)
            values += [ref.code, ref.name] if ref else [None, None]
        _put_row(ws, r, values + _figures(row, summary))

    r += 1
    _put_row(ws, r, [TOTALS_LABEL] + [None] * (2 * len(levels)) + _figures(summary.totals, summary))
    if levels:
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=1 + 2 * len(levels))
    for c in range(1, width + 1):
        ws.cell(r, c).font = Font(bold=True)
        ws.cell(r, c).fill = TOTALS_FILL

    for c in range(1, width + 1):
        ws.cell(r, c).border = BORDER  # totals row (merged cells too)
        for rr in range(head, r):
            ws.cell(rr, c).border = BORDER
        fmt = PERCENT_FORMAT if headers[c - 1] == COL_PERCENT else COUNT_FORMAT
        for rr in range(head + 1, r + 1):
            if isinstance(ws.cell(rr, c).value, int | float):
                ws.cell(rr, c).number_format = fmt
    _fit_widths(ws, headers, range(head + 1, r))
    ws.freeze_panes = ws.cell(head + 1, 2 + 2 * len(levels))
    ws.print_title_rows = f"{head}:{head}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


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
    headers = [COL_DATE, COL_HAMLET_CODE, COL_HAMLET, COL_PERSON]
    headers += [ind.name for ind in summary.indicators] + [COL_NOTE, COL_SOURCE]
    for c, text in enumerate(headers, 1):
        cell = _put(ws, 1, c, text)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[1].height = 60
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
            text = score_label(value, by_target=True) if score is not None else CHART_NO_TARGET
        else:
            value = sum(row.counts.get(ind.code, 0) for ind in summary.indicators)
            text = _number(value)
        bars.append((_nfc(_shorten(row.unit.name, 30)), value, text))
    bars.sort(key=lambda bar: -bar[1])
    return with_targets, bars


def progress_chart(summary: Summary) -> bytes:
    """A PNG of horizontal bars: % of target reached per row (or total activity if nobody has targets)."""
    with_targets, bars = chart_bars(summary)
    fig = Figure(figsize=(6.4, 1.7 + 0.36 * max(len(bars), 2)), dpi=170)
    ax = fig.add_subplot()
    title = CHART_TITLE if with_targets else CHART_COUNT_TITLE
    ax.set_title(
        _nfc(title.format(unit=summary.unit.name, period=summary.period_label)),
        fontsize=12,
        fontweight="bold",
        fontfamily=FONT,
    )
    if not bars:
        ax.text(0.5, 0.5, NO_DATA, ha="center", va="center", fontsize=12, fontfamily=FONT)
        ax.set_axis_off()
        return _png(fig)

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
    if with_targets:
        ax.axvline(1.0, color="#C62828", linestyle="--", linewidth=1.2)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel(CHART_PERCENT_AXIS if with_targets else CHART_COUNT_AXIS, fontfamily=FONT)
    ax.tick_params(labelfontfamily=FONT)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    fig.tight_layout()
    return _png(fig)


def leaderboard_image(board: Leaderboard) -> bytes:
    """A PNG of the hamlet ranking for a group chat: top 3 highlighted, best improver and top people."""
    line, small, width = 0.42, 0.32, 7.0  # inches
    people = board.top_people[:5]
    height = 1.25 + line * max(len(board.entries), 1) + 0.5
    if board.most_improved:
        height += line
    if people:
        height += line + small * len(people)
    fig = Figure(figsize=(width, height), dpi=150, facecolor="white")
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)  # y in inches from the top
    ax.set_axis_off()

    def text(x, y, s, **kw):
        ax.text(x, y, _nfc(s), va="center_baseline", fontfamily=FONT, **kw)

    text(width / 2, 0.35, BOARD_TITLE, ha="center", fontsize=18, fontweight="bold")
    text(width / 2, 0.75, f"{board.unit.name} · {board.period_label}", ha="center", fontsize=11)
    y = 1.25
    if not board.entries:
        text(width / 2, y + line / 2, NO_DATA, ha="center", fontsize=12, color="#666666")
        y += line
    for entry in board.entries:
        mid = y + line / 2
        top3 = entry.rank <= 3
        if top3:
            ax.add_patch(
                FancyBboxPatch(
                    (0.25, y + 0.04),
                    width - 0.5,
                    line - 0.08,
                    boxstyle="round,pad=0,rounding_size=0.08",
                    color=TOP3_COLORS[entry.rank - 1],
                )
            )
        weight = "bold" if top3 else "normal"
        text(0.7, mid, str(entry.rank), ha="right", fontsize=13, fontweight=weight)
        text(0.95, mid, _shorten(entry.unit.name, 30), fontsize=12, fontweight=weight)
        text(5.45, mid, entry.score_label, ha="right", fontsize=12, fontweight=weight)
        change, color = _rank_change(entry.rank_change)
        text(6.35, mid, change, ha="center", fontsize=11, color=color, fontweight="bold")
        y += line
    y += 0.2
    if board.most_improved:
        text(
            0.4,
            y + line / 2,
            BOARD_MOST_IMPROVED.format(unit=board.most_improved.name),
            fontsize=12,
            fontweight="bold",
            color="#2E7D32",
        )
        y += line
    if people:
        text(0.4, y + line / 2, BOARD_TOP_PEOPLE, fontsize=12, fontweight="bold")
        y += line
        for n, (name, total) in enumerate(people, 1):
            text(0.7, y + small / 2, f"{n}. {_shorten(name, 34)}", fontsize=11)
            text(5.45, y + small / 2, _number(total), ha="right", fontsize=11)
            y += small
    return _png(fig)


def _rank_change(change: int | None) -> tuple[str, str]:
    """The rank-change mark and its colour: ▲2, ▼1, – or "mới"."""
    if change is None:
        return BOARD_NEW, "#1565C0"
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


def _shorten(text: str, limit: int) -> str:
    """Cut long names with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _number(n: float) -> str:
    """A count with Vietnamese thousands dots: 12.345."""
    return f"{n:,.0f}".replace(",", ".")


def _png(fig: Figure) -> bytes:
    """The figure as PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", facecolor="white")
    return buf.getvalue()
