"""Summaries and leaderboards assembled from the database's figures and the rules above them.

`db.summary` and `db.leaderboard` return what was counted; here targets are pro-rated
(`bot.target_math`), rows ranked (`bot.ranking`) and the `bot.figures` types filled in. Shared by
/baocao, /tiendo, /bangxephang, the scheduled jobs and the CLI.
"""

from datetime import date, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.dates import Period, compared_span
from bot.figures import IndicatorInfo, Leaderboard, Summary, UnitFigures, UnitRef
from bot.ranking import HOUSEHOLDS, rank_board
from bot.target_math import row_targets, unit_targets
from db.indicators import active_indicators
from db.leaderboard import board_figures
from db.models import Level, Unit
from db.rows import COUNTRY, path_codes
from db.summary import SummaryFigures, summary_figures
from db.tallies import Tally, add_up


def country_unit() -> Unit:
    """A synthetic root above every province (path "/"), for the national summary; never stored."""
    return Unit(id=0, code="/", level=COUNTRY, name=texts.COUNTRY_NAME, path="/")


async def build_summary(
    session: AsyncSession,
    *,
    unit: Unit,
    start: date,
    end: date,
    period_label: str,
    made_at: datetime,
    previous: tuple[date, date] | None = None,
    previous_label: str = "",
    with_lines: bool = False,
) -> Summary:
    """Figures for `unit` over [start, end], one row per hamlet (or per commune in a roll-up).

    `counts` and `targets` hold only the indicators that have lines / a target; `previous_totals`
    holds every active indicator (0 where nothing was reported) when `previous` is given. `members`
    are the distinct people with a confirmed thanhvien/topho/totruong membership in a team of the
    unit; `unreachable` those of them who have a chat identity and whose every identity is
    unreachable. Targets: see `row_targets`. `totals` cover the whole unit, including a team
    attached to the unit itself; its target, per indicator, is the unit's own target, else the sum
    of the row targets.
    """
    indicators = await active_indicators(session)
    found = await summary_figures(
        session, unit=unit, start=start, end=end, previous=previous, with_lines=with_lines
    )
    rows, totals = _rows_and_totals(unit, found, start=start, end=end)
    return Summary(
        unit=_ref(unit),
        period_label=period_label,
        start=start,
        end=end,
        made_at=made_at,
        indicators=[
            IndicatorInfo(i.code, i.name, i.unit_label, short=texts.short_label(i))
            for i in indicators
        ],
        rows=rows,
        totals=totals,
        previous_totals=_previous_totals(found, indicators),
        lines=found.lines,
        previous_label=previous_label if previous is not None else "",
    )


def _previous_totals(found: SummaryFigures, indicators: list) -> dict[str, int]:
    """Every indicator's sum in the previous period (0 where nothing was reported), if asked."""
    if found.previous_counts is None:
        return {}
    return {i.code: found.previous_counts.get(i.code, 0) for i in indicators}


def _rows_and_totals(
    unit: Unit, found: SummaryFigures, *, start: date, end: date
) -> tuple[list[UnitFigures], UnitFigures]:
    """Each row's figures with its pro-rated targets, and the whole unit's."""
    targets = row_targets(found.row_targets, row_level=found.row_level, start=start, end=end)
    own = unit_targets(found.own_targets, start=start, end=end)
    refs = {code: _ref(place) for code, place in found.places.items()}
    rows = [
        _unit_figures(row, found.tallies.get(row.id, Tally()), targets.get(row.id, {}), refs)
        for row in found.rows
    ]
    totals_target = {**add_up(targets.get(row.id, {}) for row in found.rows), **own}
    return rows, _unit_figures(unit, found.whole, totals_target, refs)


async def period_summary(
    session: AsyncSession, *, unit: Unit, period: Period, now: datetime, with_lines: bool = False
) -> Summary:
    """What /baocao (and `tocongnghe report`) shows: the period compared with the one before,
    cut to the same number of days while the period runs (`compared_span`)."""
    before = compared_span(period, now.date())
    return await build_summary(
        session,
        unit=unit,
        start=period.start,
        end=period.end,
        period_label=texts.capital(period.label),
        made_at=now,
        previous=(before.start, before.end),
        previous_label=compared_label(period, before),
        with_lines=with_lines,
    )


def compared_label(period: Period, before: Period) -> str:
    """ "tháng 10/2026", or "cùng kỳ tháng 11/2026 (01/11–03/11)" for a cut span."""
    whole = period.previous()
    if before == whole:
        return before.label
    span = f"{before.start:%d/%m}–{before.end:%d/%m}"
    return texts.SAME_SPAN.format(period=whole.label, span=span)


def file_name(kind: str, unit: Unit, period: Period, suffix: str) -> str:
    """`baocao-28468-tuan-17-11-2026.xlsx`: what, where, which period."""
    code = texts.FILE_COUNTRY if unit.level == COUNTRY else unit.code
    return f"{kind}-{code}-{texts.FILE_KINDS[period.kind]}-{period.start:%d-%m-%Y}.{suffix}"


async def build_leaderboard(
    session: AsyncSession,
    *,
    commune: Unit,
    start: date,
    end: date,
    period_label: str,
    previous: tuple[date, date] | None = None,
    top_people: int = 5,
) -> Leaderboard:
    """The ranking of one commune's hamlets: `build_leaderboards` for a one-commune list."""
    boards = await build_leaderboards(
        session,
        communes=[commune],
        start=start,
        end=end,
        period_label=period_label,
        previous=previous,
        top_people=top_people,
    )
    return boards[commune.id]


async def build_leaderboards(
    session: AsyncSession,
    *,
    communes: list[Unit],
    start: date,
    end: date,
    period_label: str,
    previous: tuple[date, date] | None = None,
    top_people: int = 5,
) -> dict[int, Leaderboard]:
    """Rank the hamlets of each commune that reported in [start, end] (`rank_board`), by id.

    The same few GROUP BY queries serve one commune (`/bangxephang`) or hundreds (the Monday job).
    `top_people` are the persons with the largest activity (without `ho`) in the commune, best
    first, at most `top_people` of them. `rows` are every hamlet's figures for [start, end], in
    path order.
    """
    periods = [(start, end)] if previous is None else [(start, end), previous]
    found = await board_figures(
        session,
        commune_ids=[commune.id for commune in communes],
        periods=periods,
        top_people=top_people,
        leave_out=(HOUSEHOLDS,),
    )
    per_period = [
        (p.tallies, row_targets(p.targets, row_level=Level.HAMLET.value, start=p.start, end=p.end))
        for p in found.periods
    ]
    boards = {}
    for commune in communes:
        tables = _hamlet_tables(found.hamlets.get(commune.id, []), per_period)
        boards[commune.id] = rank_board(
            _ref(commune),
            tables[0],
            tables[1] if previous is not None else None,
            period_label=period_label,
            top_people=found.top_people.get(commune.id, []),
        )
    return boards


def _hamlet_tables(
    hamlets: list[Unit], per_period: list[tuple[dict[int, Tally], dict[int, dict[str, int]]]]
) -> list[list[UnitFigures]]:
    """Per period: the figures of each hamlet (no hierarchy), from tallies and targets by id."""
    return [
        [_unit_figures(h, tallies.get(h.id, Tally()), targets.get(h.id, {}), {}) for h in hamlets]
        for tallies, targets in per_period
    ]


def _ref(unit: Unit) -> UnitRef:
    return UnitRef(level=unit.level, code=unit.code, name=unit.name)


def _unit_figures(
    unit: Unit, found: Tally, targets: dict[str, int], refs: dict[str, UnitRef]
) -> UnitFigures:
    return UnitFigures(
        unit=_ref(unit),
        hierarchy=[refs[code] for code in path_codes(unit) if code in refs],
        counts=dict(found.counts),
        targets=dict(targets),
        members=found.members,
        reporters=found.reporters,
        reports=found.reports,
        unreachable=found.unreachable,
    )
