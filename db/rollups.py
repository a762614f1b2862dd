"""Day totals per commune, kept with the reports, so a province or the country sums few rows.

`DailyTotal` holds per day, commune and indicator the sum of the standing reports' lines and how
many they are; `DailyReporter` per day, commune and person how many standing reports they made
(distinct reporters over a period are counted from it, exactly). The commune of a report is its
team's (a hamlet's parent), or the team's own unit at commune level and above. `ProvinceTotal`
is `DailyTotal` per province, for the country: 34 rows a day and indicator, not 3,300.

They change in the transaction of every change to the reports, never by a later refresh:
`write_reports` adds what it writes, a retraction or an edit takes the old report away
(`add_reports` with sign -1), a merge of two people moves their rows. `rebuild` makes them again
from the reports (the demo and the benches, which insert reports in bulk). Never commits.
"""

from functools import partial

from sqlalchemy import bindparam, case, delete, func, tuple_, update
from sqlalchemy.orm import aliased
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import (
    DailyReporter,
    DailyTotal,
    Level,
    ProvinceTotal,
    Report,
    ReportLine,
    Team,
    Unit,
)
from db.period_reporters import count_periods, rebuild_period_counts, touched
from db.session import dialect_insert, execute_core
from db.units import commune_id_of

IDS = Report.id.in_(bindparam("ids", expanding=True))  # the reports added or taken away
TOTAL_KEY = ["unit_id", "day", "indicator_id"]
REPORTER_KEY = ["unit_id", "day", "person_id"]


def _grouped(where, *, sign: int, lines: bool, province: bool = False):
    """Per key: the sums (`lines`: per indicator) or reports per person of the matching reports.

    `province`: keyed by the province above the team (0 for none) instead of its commune.
    """
    place = aliased(Unit)
    commune = commune_id_of(place)
    if province:
        ups = [aliased(Unit) for _ in range(3)]
        commune = case(
            *((unit.level == Level.PROVINCE.value, unit.id) for unit in (place, *ups)), else_=0
        )
    query = select(commune, Report.activity_date)
    if lines:
        query = query.add_columns(
            ReportLine.indicator_id, func.sum(ReportLine.count) * sign, func.count() * sign
        ).join(ReportLine, ReportLine.report_id == Report.id)
        key = [commune, Report.activity_date, ReportLine.indicator_id]
    else:
        query = query.add_columns(Report.person_id, func.count() * sign)
        key = [commune, Report.activity_date, Report.person_id]
    query = (
        query.select_from(Report)
        .join(Team, Team.id == Report.team_id)
        .join(place, place.id == Team.unit_id)
    )
    if province:
        for below, unit in zip((place, *ups), ups, strict=False):
            query = query.outerjoin(unit, unit.id == below.parent_id)
    # rows locked in one order by every writer: no deadlock between two
    return query.where(where).group_by(*key).order_by(*key)


async def add_reports(session: AsyncSession, *, reports: list[int], sign: int) -> None:
    """Add (sign 1) or take away (sign -1) the reports with these ids.

    Whoever flips a report's `retracted` calls this once, with sign -1, for a standing report.
    Rows left with no report are deleted, so a reporter row always means a report. The reporters
    per calendar period (db.period_reporters) of the reports' people move with the day rows:
    their people are held first, and the periods counted once the day rows have moved.
    """
    ids = {"ids": list(reports)}
    people, periods = await touched(session, reports=ids["ids"])
    for statement in _statements(session, sign):
        await execute_core(session, statement, ids)
    changed = partial(_grouped, IDS, sign=sign, lines=False)  # the reporter rows' change
    await count_periods(
        session, people=people, periods=periods, sign=sign, changed=changed, values=ids
    )


TABLES = (
    (DailyTotal, TOTAL_KEY, True),
    (ProvinceTotal, TOTAL_KEY, True),
    (DailyReporter, REPORTER_KEY, False),
)
BUILT: dict[tuple[str, int], list] = {}  # every batch runs them: built once per dialect and sign


def _statements(session: AsyncSession, sign: int) -> list:
    """The upsert of each table, then (to take away) the DELETE of the rows left empty."""
    key = (session.get_bind().dialect.name, sign)
    if key in BUILT:
        return BUILT[key]
    where = IDS
    insert = dialect_insert(session)
    built = []
    for model, columns, lines in TABLES:
        counted = ["total", "reports"] if lines else ["reports"]
        table = model.__table__
        grouped = _grouped(where, sign=sign, lines=lines, province=model is ProvinceTotal)
        statement = insert(table).from_select([*columns, *counted], grouped)
        statement = statement.on_conflict_do_update(
            index_elements=columns,
            set_={c: table.c[c] + statement.excluded[c] for c in counted},
        )
        built.append(statement)
        if sign < 0:
            built.append(_empty_rows(model, where))
    BUILT[key] = built
    return built


def _empty_rows(model, where):
    """DELETE the rows of `model` left with no report, on the days and communes of `where`."""
    place = aliased(Unit)
    days = (
        select(commune_id_of(place), Report.activity_date)
        .select_from(Report)
        .join(Team, Team.id == Report.team_id)
        .join(place, place.id == Team.unit_id)
        .where(where)
    )
    table = model.__table__
    if model is ProvinceTotal:  # a few rows a day: the day is enough
        days = select(Report.activity_date).where(where)
        return delete(table).where(table.c.reports <= 0, table.c.day.in_(days))
    return delete(table).where(table.c.reports <= 0, tuple_(table.c.unit_id, table.c.day).in_(days))


async def retract_reports(session: AsyncSession, *, reports: list[Report]) -> None:
    """Take standing reports out of the day totals; already retracted ones stay as they are."""
    standing = [report.id for report in reports if not report.retracted]
    if standing:
        await add_reports(session, reports=standing, sign=-1)


async def rebuild(session: AsyncSession) -> None:
    """Make both tables again from every standing report (after reports inserted in bulk)."""
    for model, key, lines in TABLES:
        counted = ["total", "reports"] if lines else ["reports"]
        await session.exec(delete(model))
        query = _grouped(~Report.retracted, sign=1, lines=lines, province=model is ProvinceTotal)
        await session.exec(model.__table__.insert().from_select([*key, *counted], query))
    await rebuild_period_counts(session)


async def move_reports(session: AsyncSession, *, source_id: int, into_id: int) -> None:
    """Give every report of one person to another (a merge); their reporter rows move along."""
    query = select(Report.id).where(Report.person_id == source_id, ~Report.retracted)
    standing = list((await session.exec(query)).all())
    if standing:
        await add_reports(session, reports=standing, sign=-1)
    await session.exec(
        update(Report).where(Report.person_id == source_id).values(person_id=into_id)
    )
    if standing:
        await add_reports(session, reports=standing, sign=1)
