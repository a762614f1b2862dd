"""Summaries and leaderboards as chat text, fitted to a phone screen.

Pure functions of `bot.figures` data (no database), shared by `/baocao`, `/tiendo`, `/chitieu`
and the scheduled jobs; rows are ranked by `bot.ranking`.
"""

from datetime import date
from fractions import Fraction

from bot import texts
from bot.figures import Leaderboard, Summary, TopPerson, UnitFigures
from bot.ranking import activity_total, half_up, rank_rows, score_label, uses_targets
from bot.target_math import due_share, points_behind
from bot.unit_names import kind_of_all
from db.models import Level

INLINE_BAR = 5  # a short bar keeps an indicator on one phone line
NAME_WIDTH = 30


# --- formatting ---
def progress_bar(ratio: float, width: int = 10) -> str:
    """`▓▓▓▓▓▓░░░░ 60%`: the bar stops at full, the percentage does not (e.g. 120%)."""
    ratio = max(ratio, 0.0)
    filled = min(half_up(ratio * width), width)
    return f"{texts.BAR_FULL * filled}{texts.BAR_EMPTY * (width - filled)} {half_up(ratio * 100)}%"


def format_summary_text(
    summary: Summary, *, max_rows: int = 12, show_unreachable: bool = True
) -> str:
    """The summary for a chat: totals per indicator, who reported, the rows best first, who did not.

    `show_unreachable` adds how many members the bot cannot reach (for officials only).
    """
    lines = [texts.SUMMARY_HEADER.format(unit=summary.unit.name), summary.period_label, ""]
    lines += _indicator_lines(summary)
    lines += _pace_line(summary)
    if summary.previous_label and any(
        texts.UP[0] in line or texts.DOWN[0] in line for line in lines
    ):
        lines.append(texts.COMPARED_WITH.format(period=summary.previous_label))
    lines.append(_reporters_line(summary.totals))
    single = len(summary.rows) == 1 and summary.rows[0].unit == summary.unit
    if summary.rows and not single:
        lines += _rows_part(summary.rows, max_rows=max_rows)
    if summary.totals.unreachable and show_unreachable:
        lines += ["", texts.UNREACHABLE.format(n=texts.number(summary.totals.unreachable))]
    return "\n".join(lines)


def open_difficulties_line(ages: list[int]) -> str:
    """ "Vướng mắc chưa giải quyết: 2 (lâu nhất 4 ngày)", a line under the summary; "" if none."""
    if not ages:
        return ""
    oldest = max(ages)
    age = texts.AGE_DAYS.format(n=oldest) if oldest > 0 else texts.AGE_TODAY
    return "\n\n" + texts.OPEN_DIFFICULTIES.format(n=len(ages), age=age)


def _reporters_line(totals: UnitFigures) -> str:
    """ "Thành viên báo cáo: 5/7 (71%)", or just who reported when nobody is a member."""
    if not totals.members:
        return texts.REPORTERS_ONLY.format(reporters=texts.number(totals.reporters))
    percent = f"{half_up(100 * totals.reporters / totals.members)}%"
    return texts.REPORTERS_LINE.format(
        reporters=texts.number(totals.reporters),
        members=texts.number(totals.members),
        percent=percent,
    )


def _rows_part(rows: list[UnitFigures], *, max_rows: int) -> list[str]:
    """How many rows reported, the rows best first, and the rows that did not report."""
    level = kind_of_all((row.unit for row in rows), rows[0].unit.level)  # "ấp" for ấp
    reporting = sum(1 for row in rows if row.reports)
    lines = [
        texts.ROWS_REPORTING.format(level=level.capitalize(), reporting=reporting, rows=len(rows))
    ]
    lines += _row_lines(rows, level=level, max_rows=max_rows)
    silent = [row.unit.name for row in rows if not row.reports]
    if silent:
        names = ", ".join(silent[:max_rows])
        if len(silent) > max_rows:
            names = texts.NOT_REPORTED_REST.format(
                names=names, n=len(silent) - max_rows, level=level
            )
        lines += ["", texts.NOT_REPORTED.format(names=names)]
    return lines


def _indicator_lines(summary: Summary) -> list[str]:
    totals, previous = summary.totals, summary.previous_totals
    lines = []
    for indicator in summary.indicators:
        count = totals.counts.get(indicator.code, 0)
        target = totals.targets.get(indicator.code)
        before = previous.get(indicator.code)
        if not (count or target or before):
            continue
        change = _change(count - before) if previous else ""
        if target:
            line = texts.INDICATOR_WITH_TARGET.format(
                name=indicator.label,
                count=texts.number(count),
                target=texts.number(target),
                bar=progress_bar(count / target, width=INLINE_BAR),
                change=change,
            ) + pace(count, target, due_of(summary))
        else:
            line = texts.INDICATOR_PLAIN.format(
                name=indicator.label,
                count=texts.number(count),
                unit_label=indicator.unit_label,
                change=change,
            )
        lines.append(line)
    return lines or [texts.NOTHING_REPORTED]


def due_of(summary: Summary) -> Fraction | None:
    """The share of its targets due by the summary's day, while its period runs."""
    return due_share(summary.start, summary.end, summary.made_at.date())


def pace(count: int, target: int, due: Fraction | None) -> str:
    """ " · đúng tiến độ" or " · chậm 5%" against the share due; "" outside a running period."""
    if due is None:
        return ""
    behind = points_behind(count, target, due)
    return texts.PACE_BEHIND.format(n=behind) if behind else texts.PACE_ON


def _pace_line(summary: Summary) -> list[str]:
    """What is due by today, under the indicators, when the running period has targets."""
    due = due_of(summary)
    if due is None or not summary.totals.targets:
        return []
    days = (summary.made_at.date() - summary.start).days + 1
    return [
        texts.PACE_LINE.format(
            percent=half_up(100 * due), days=days, total=(summary.end - summary.start).days + 1
        )
    ]


def _row_lines(rows: list[UnitFigures], *, level: str, max_rows: int) -> list[str]:
    reporting = [row for row in rows if row.reports]
    if not reporting:
        return []
    by_target = uses_targets(rows)
    ranked = rank_rows(reporting, by_target=by_target)
    template = texts.ROW_WITH_TARGET if by_target else texts.ROW_PER_MEMBER
    lines = ["", texts.ROWS_HEADER.format(level=level)]
    for rank, (row, value) in enumerate(ranked[:max_rows], start=1):
        lines.append(
            template.format(
                rank=rank,
                name=texts.shorten(row.unit.name, NAME_WIDTH),
                score=score_label(value, by_target=by_target),
                activity=texts.number(activity_total(row.counts)),
                reporters=texts.number(row.reporters),
                members=texts.number(row.members),
            )
        )
    rest = ranked[max_rows:]
    if rest:
        activity = sum(activity_total(row.counts) for row, _ in rest)
        lines.append(
            texts.ROWS_REST.format(n=len(rest), level=level, activity=texts.number(activity))
        )
    return lines


def format_progress(summary: Summary, today: date) -> str:
    """/tiendo: each target with its bar, other counts, who reported, and the days left.

    `summary.period_label` is lower case ("tháng 11/2026"); the header capitalises it.
    """
    period = summary.period_label
    lines = [texts.PROGRESS_HEADER.format(unit=summary.unit.name, period=texts.capital(period)), ""]
    totals = summary.totals
    targets, plain = _progress_lines(summary)
    lines += targets + _pace_line(summary)
    if not totals.targets:
        lines.append(texts.PROGRESS_NO_TARGET.format(period=period))
    lines += plain
    if not totals.reports:
        lines.append(texts.PROGRESS_NOTHING.format(period=period))
    if totals.members:
        lines.append(
            texts.PROGRESS_REPORTERS.format(
                reporters=texts.number(totals.reporters), members=texts.number(totals.members)
            )
        )
    days = (summary.end - today).days
    if days > 0:
        lines.append(texts.PROGRESS_DAYS_LEFT.format(days=days, period=period))
    elif days == 0:
        lines.append(texts.PROGRESS_LAST_DAY.format(period=period))
    return "\n".join(lines)


def _progress_lines(summary: Summary) -> tuple[list[str], list[str]]:
    """(a bar per indicator with a target, a count per other indicator with one) for /tiendo."""
    totals = summary.totals
    targets, plain = [], []
    for indicator in summary.indicators:
        count, target = totals.counts.get(indicator.code, 0), totals.targets.get(indicator.code)
        if target:
            targets.append(
                texts.PROGRESS_TARGET.format(
                    name=indicator.label,
                    count=texts.number(count),
                    target=texts.number(target),
                    bar=progress_bar(count / target),
                )
                + pace(count, target, due_of(summary))
            )
        elif count:
            plain.append(
                texts.PROGRESS_PLAIN.format(
                    name=indicator.label, count=texts.number(count), unit_label=indicator.unit_label
                )
            )
    return targets, plain


def format_leaderboard_text(board: Leaderboard) -> str:
    """The weekly ranking: one line per hamlet, the most improved and the best members (never the last)."""
    lines = [
        texts.BOARD_HEADER,
        texts.BOARD_SUBTITLE.format(unit=board.unit.name, period=board.period_label),
        "",
    ]
    for entry in board.entries:
        change = _change(entry.rank_change) if entry.rank_change else ""
        lines.append(
            texts.BOARD_LINE.format(
                rank=entry.rank,
                name=texts.shorten(entry.unit.name, NAME_WIDTH),
                score=entry.score_label,
                change=change,
            )
        )
    if not board.entries:
        kind = kind_of_all((row.unit for row in board.rows), Level.HAMLET)
        lines.append(texts.BOARD_EMPTY.format(kind=kind))
    if board.most_improved is not None:
        lines += ["", texts.MOST_IMPROVED.format(unit=board.most_improved.name)]
    if board.top_people:
        people = ", ".join(
            texts.TOP_PERSON.format(name=person_label(person), total=texts.number(person.total))
            for person in board.top_people
        )
        words = board.period_label.split()
        first = words[0].lower() if words else ""
        period_word = first if first in texts.PERIOD_WORDS else texts.PERIOD_WORDS[0]
        if board.most_improved is None:
            lines.append("")
        lines.append(texts.TOP_PEOPLE.format(period_word=period_word, people=people))
    return "\n".join(lines)


def person_label(person: TopPerson) -> str:
    """ "Võ Thị Khánh – Ấp Tân Hòa": a top person with the hamlet they reported in, if any."""
    if not person.hamlet:
        return person.name
    return texts.PERSON_AND_HAMLET.format(name=person.name, hamlet=person.hamlet)


def _change(delta: int) -> str:
    if delta > 0:
        return " " + texts.UP.format(n=texts.number(delta))
    if delta < 0:
        return " " + texts.DOWN.format(n=texts.number(-delta))
    return ""
