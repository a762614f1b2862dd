"""Figures for `/baocao`: keyword-only queries that never commit and return plain figures.

The rows of a unit are `db.rows`; what each counted is `db.tallies`; the target parts are
`db.targets`. Pro-rating targets, ranking and wording are rules, in bot/ (bot.summaries).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import aliased
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import Indicator, Level, Person, ProvinceTotal, Report, ReportLine, Team, Unit
from db.rows import COUNTRY, province_map, row_level, row_map, row_units, units_on_paths
from db.tallies import Counts, Tally, add_up, period_counts, tallies
from db.targets import TargetPart, own_target_parts, target_parts


@dataclass(frozen=True)
class ReportRow:
    """One standing report with its counts, for the detail sheet."""

    activity_date: date
    hamlet_code: str
    hamlet_name: str
    person_name: str
    counts: dict[str, int]
    note: str
    source: str


@dataclass
class SummaryFigures:
    """What the database holds for one unit's summary over [start, end]."""

    rows: list[Unit]  # the row units, in path order
    row_level: str  # their level
    tallies: dict[int, Tally]  # by row id; a row with nothing has no entry
    whole: Tally  # the whole unit, a team attached to the unit itself included
    row_targets: list[TargetPart]  # every target under the unit, per row (to pro-rate)
    own_targets: list[TargetPart]  # the unit's own targets
    places: dict[str, Unit]  # every unit on the paths of the unit and its rows, by code
    previous_counts: Counts | None = None  # the whole unit's sums in `previous`, when asked
    lines: list[ReportRow] = field(default_factory=list)  # when asked


async def summary_figures(
    session: AsyncSession,
    *,
    unit: Unit,
    start: date,
    end: date,
    previous: tuple[date, date] | None = None,
    with_lines: bool = False,
) -> SummaryFigures:
    """The figures of `unit` over [start, end], one row per hamlet (or per commune in a roll-up).

    One scan counts both periods when `previous` is given; every unit under `unit` has a key, so
    the keys add up to the whole. Rows of communes or provinces are counted from the day totals
    (`db.rollups`: thousands of rows for the country), hamlet rows from the reports themselves.
    `lines` are the standing reports when `with_lines`.
    """
    level = row_level(unit)
    rows = await row_units(session, unit=unit)
    periods = [(start, end)] if previous is None else [(start, end), previous]
    mapped = row_map(unit, level)
    rolled = row_map(unit, level, hamlets=False) if level != Level.HAMLET.value else None
    counted = await _counts(session, unit=unit, mapped=mapped, rolled=rolled, periods=periods)
    by_row, whole = await tallies(
        session,
        rows=mapped,
        start=start,
        end=end,
        counts=counted[0],
        rolled=rolled,
        kept=None if rolled is None else (unit.id, [row.id for row in rows]),
    )
    row_targets, own_targets = await _targets(
        session, unit=unit, mapped=mapped, rolled=rolled, start=start, end=end
    )
    return SummaryFigures(
        rows=rows,
        row_level=level,
        tallies=by_row,
        whole=whole,
        row_targets=row_targets,
        own_targets=own_targets,
        places=await units_on_paths(session, units=[unit, *rows]),
        previous_counts=add_up(counted[1].values()) if previous is not None else None,
        lines=await report_lines(session, unit=unit, start=start, end=end) if with_lines else [],
    )


async def _counts(
    session: AsyncSession,
    *,
    unit: Unit,
    mapped,
    rolled,
    periods: list[tuple[date, date]],
) -> list[dict[int | None, Counts]]:
    """Each period's sums per row (db.tallies.period_counts): from the reports for hamlet rows
    (`rolled` None), else from the day totals (`rolled`: a map without hamlets), or the province
    totals for the whole country."""
    if rolled is None:
        return await period_counts(session, rows=mapped, periods=periods)
    if unit.level == COUNTRY:
        return await period_counts(
            session, rows=province_map(), periods=periods, rolled=ProvinceTotal
        )
    return await period_counts(session, rows=rolled, periods=periods, rolled=True)


async def _targets(
    session: AsyncSession, *, unit: Unit, mapped, rolled, start: date, end: date
) -> tuple[list[TargetPart], list[TargetPart]]:
    """Every target under the unit, per row (summed per commune in a roll-up), and its own."""
    row_targets = await target_parts(
        session,
        rows=mapped if rolled is None else rolled,
        start=start,
        end=end,
        hamlets_summed=rolled is not None,
    )
    own_targets = await own_target_parts(
        session, unit_id=unit.id, level=unit.level, start=start, end=end
    )
    return row_targets, own_targets


async def unit_counts(
    session: AsyncSession, *, unit: Unit, start: date, end: date
) -> dict[str, int]:
    """Sums per indicator over standing reports of every team under `unit` in [start, end].

    Above a hamlet, from the day totals: every report under a commune is in the commune's.
    """
    rolled = unit.level != Level.HAMLET
    rows = row_map(unit, None, hamlets=not rolled)
    counted = await period_counts(session, rows=rows, periods=[(start, end)], rolled=rolled)
    return counted[0].get(None, {})


async def report_lines(
    session: AsyncSession, *, unit: Unit, start: date, end: date
) -> list[ReportRow]:
    """One row per standing report in the period, with its counts: one joined query."""
    reports: dict[int, tuple] = {}
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for report_id, day, code, name, person, note, source, indicator, active, count in (
        await session.exec(_lines_query(unit, start, end))
    ).all():
        reports.setdefault(report_id, (day, code, name, person, note or "", source))
        if indicator is not None and active:
            counts[report_id][indicator] = int(count)
    return [
        ReportRow(*head[:4], counts=counts.get(report_id, {}), note=head[4], source=head[5])
        for report_id, head in reports.items()
    ]


def _lines_query(unit: Unit, start: date, end: date):
    """Standing reports under `unit` in [start, end], one row per line (or one for no line)."""
    place = aliased(Unit)
    return (
        select(
            Report.id,
            Report.activity_date,
            place.code,
            place.name,
            Person.display_name,
            Report.note,
            Report.source,
            Indicator.code,
            Indicator.active,
            ReportLine.count,
        )
        .select_from(Report)
        .join(Team, Team.id == Report.team_id)
        .join(place, place.id == Team.unit_id)
        .join(Person, Person.id == Report.person_id)
        .outerjoin(ReportLine, ReportLine.report_id == Report.id)
        .outerjoin(Indicator, Indicator.id == ReportLine.indicator_id)
        .where(
            place.path.startswith(unit.path, autoescape=True),
            ~Report.retracted,
            Report.activity_date >= start,
            Report.activity_date <= end,
        )
        .order_by(Report.activity_date, place.path, Report.id, Indicator.position)
    )
