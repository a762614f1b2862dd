"""Reporters and reports per calendar period and unit, kept exact, so the country reads few rows.

`PeriodCount` holds for each week, month, quarter and year, and each unit at commune level and
above (0: the whole country), the distinct people with a standing report under the unit in the
period, and how many reports. Distinct people do not add up, so this is kept as the members are
(db.member_counts): `db.rollups.add_reports` takes the shares of the people of the changed
reports in their periods out (sign -1) before it moves the day rows and puts them back (sign 1)
after, both counted from `DailyReporter`, in the same transaction. A free date range is counted
from the day rows instead. Never commits.
"""

from datetime import date, timedelta

from sqlalchemy import (
    Date,
    Integer,
    String,
    and_,
    bindparam,
    case,
    cast,
    delete,
    func,
    literal,
    or_,
    union_all,
)
from sqlalchemy.orm import aliased
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import DailyReporter, PeriodCount, Person, Report, Unit
from db.session import dialect_insert, execute_core

COUNTRY_ID = 0  # the row of the whole country, as in db.member_counts
Period = tuple[str, date, date]  # kind, first day, last day


def periods_of(day: date) -> list[Period]:
    """The week (Monday–Sunday), month, quarter and year that hold `day`."""
    week = day - timedelta(days=day.weekday())
    month = day.replace(day=1)
    quarter = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return [
        ("week", week, week + timedelta(days=6)),
        ("month", month, _months_on(month, 1) - timedelta(days=1)),
        ("quarter", quarter, _months_on(quarter, 3) - timedelta(days=1)),
        ("year", date(day.year, 1, 1), date(day.year, 12, 31)),
    ]


def _months_on(first: date, months: int) -> date:
    n = first.month - 1 + months
    return date(first.year + n // 12, n % 12 + 1, 1)


def whole_period(start: date, end: date) -> str | None:
    """The kind of [start, end] when it is a whole week, month, quarter or year, else None."""
    return next((kind for kind, a, b in periods_of(start) if (a, b) == (start, end)), None)


def _counted(periods: list[tuple]):
    """Per (kind, start, unit): people with a report and reports in `periods` (SQL values of
    kind, first and last day), from every day row, each person once per unit."""
    shares = _shares(periods, _day_rows(people=False).subquery("rows"))
    key = [shares.c.kind, shares.c.start, shares.c.unit]
    each = select(*key, func.sum(shares.c.reports).label("reports"))
    each = each.group_by(*key, shares.c.person).subquery("each")
    key = [each.c.kind, each.c.start, each.c.unit]
    return select(*key, func.count(), func.sum(each.c.reports)).group_by(*key).order_by(*key)


def _moved(periods: list[tuple], changed):
    """Per (kind, start, unit): how the people with a report and the reports in `periods` moved
    when the day rows of the bound `people` moved by `changed` (commune, day, person, reports:
    negative for reports taken away), read after they moved. Per unit and person, `after` is
    the sum of their day rows now and `after - changed` before (a day row always holds a report,
    so a sum above 0 means a row): the person counts as a reporter if above 0."""
    unit, day, person, reports = changed.subquery("changed").c
    zero = cast(literal(0), Integer)
    added = select(
        unit.label("unit"),
        day.label("day"),
        person.label("person"),
        zero.label("reports"),
        reports.label("changed"),
    )
    shares = _shares(periods, union_all(_day_rows(people=True), added).subquery("rows"))
    key = [shares.c.kind, shares.c.start, shares.c.unit]
    each = select(
        *key,
        func.sum(shares.c.reports).label("after"),
        func.sum(shares.c.changed).label("changed"),
    )
    each = each.group_by(*key, shares.c.person).having(func.sum(shares.c.changed) != 0)
    each = each.subquery("each")
    counted = case((each.c.after > 0, 1), else_=0)
    counted_before = case((each.c.after - each.c.changed > 0, 1), else_=0)
    key = [each.c.kind, each.c.start, each.c.unit]
    return (
        select(*key, func.sum(counted - counted_before), func.sum(each.c.changed))
        .group_by(*key)
        .order_by(*key)  # rows locked in one order by every writer
    )


def _day_rows(people: bool):
    """Each day row (of the bound `people` only, when asked), with nothing changed."""
    rows = select(
        DailyReporter.unit_id.label("unit"),
        DailyReporter.day.label("day"),
        DailyReporter.person_id.label("person"),
        DailyReporter.reports.label("reports"),
        cast(literal(0), Integer).label("changed"),
    )
    if people:
        rows = rows.where(DailyReporter.person_id.in_(bindparam("people", expanding=True)))
    return rows


def _shares(periods: list[tuple], rows):
    """Each of `rows` (unit, day, person, reports, changed) in one of `periods` (SQL values of
    kind, first and last day) once for its unit, the two units above and the country (each
    counts the row's person too)."""
    per = union_all(
        *(
            select(kind.label("kind"), first.label("first"), last.label("last"))
            for kind, first, last in periods
        )
    ).subquery("periods")
    place, up1, up2 = aliased(Unit), aliased(Unit), aliased(Unit)
    seen = (
        select(
            per.c.kind,
            per.c.first.label("start"),
            rows.c.person,
            rows.c.reports,
            rows.c.changed,
            rows.c.unit.label("own"),
            up1.id.label("up1"),
            up2.id.label("up2"),
        )
        .select_from(rows)
        .join(per, and_(rows.c.day >= per.c.first, rows.c.day <= per.c.last))
        .join(place, place.id == rows.c.unit)
        .outerjoin(up1, up1.id == place.parent_id)
        .outerjoin(up2, up2.id == up1.parent_id)
    ).cte("seen")
    country = cast(literal(COUNTRY_ID), Integer)
    return union_all(
        *(
            select(
                seen.c.kind,
                seen.c.start,
                unit.label("unit"),
                seen.c.person,
                seen.c.reports,
                seen.c.changed,
            ).where(unit.is_not(None))
            for unit in (country, seen.c.own, seen.c.up1, seen.c.up2)
        )
    ).subquery("shares")


COLUMNS = ["kind", "start", "unit_id", "reporters", "reports"]


def _upsert(session: AsyncSession, query):
    table = PeriodCount.__table__
    statement = dialect_insert(session)(table).from_select(COLUMNS, query)
    return statement.on_conflict_do_update(
        index_elements=COLUMNS[:3],
        set_={c: table.c[c] + statement.excluded[c] for c in COLUMNS[3:]},
    )


async def touched(session: AsyncSession, *, reports: list[int]) -> tuple[list[int], list[Period]]:
    """The people of these reports, held until the commit in id order, and the periods of
    their days.

    Their shares are counted from what is committed when the counting starts: two transactions
    changing one person's day rows at once would both count the person in or out. Holding the
    person (PostgreSQL; SQLite has one writer) makes the second wait, and count what the first
    committed.
    """
    query = (
        select(Report.person_id, Report.activity_date)
        .join(Person, Person.id == Report.person_id)
        .where(Report.id.in_(reports))
        .order_by(Person.id)
        .with_for_update(of=Person)
    )
    found = set((await session.exec(query)).all())
    periods = {period for _, day in found for period in periods_of(day)}
    return sorted({person for person, _ in found}), sorted(periods)


BUILT: dict[tuple[str, int, int], list] = {}  # every batch runs them: built once per shape


def _statements(session: AsyncSession, sign: int, n: int, changed) -> list:
    """The upsert for `n` periods given as bound values, and for reports taken away, the
    DELETE of the rows left with nobody. `changed()`: the day rows' change, as a query."""
    key = (session.get_bind().dialect.name, sign, n)
    if key not in BUILT:
        periods = [
            (
                bindparam(f"kind{i}", type_=String),
                bindparam(f"first{i}", type_=Date),
                bindparam(f"last{i}", type_=Date),
            )
            for i in range(n)
        ]
        built = [_upsert(session, _moved(periods, changed()))]
        if sign < 0:
            table = PeriodCount.__table__
            which = or_(*(and_(table.c.kind == k, table.c.start == a) for k, a, _ in periods))
            built.append(delete(table).where(table.c.reporters <= 0, which))
        BUILT[key] = built
    return BUILT[key]


async def count_periods(
    session: AsyncSession,
    *,
    people: list[int],
    periods: list[Period],
    sign: int,
    changed,
    values: dict,
) -> None:
    """Move the counts of `people` in `periods` by what reports added (sign 1) or took away
    (-1) from their day rows, once the day rows moved; the people are held (`touched`).
    `changed()` builds the query of the day rows' change (per commune, day and person) from
    the bound `values`; it is built once per shape."""
    if not people or not periods:
        return
    values = {**values, "people": people}
    for i, (kind, first, last) in enumerate(periods):
        values.update({f"kind{i}": kind, f"first{i}": first, f"last{i}": last})
    for statement in _statements(session, sign, len(periods), changed):
        await execute_core(session, statement, values)


async def rebuild_period_counts(session: AsyncSession) -> None:
    """Make the counts again from every day row (after reports inserted in bulk)."""
    await session.exec(delete(PeriodCount))
    days = (
        await session.exec(select(func.min(DailyReporter.day), func.max(DailyReporter.day)))
    ).one()
    if days[0] is None:
        return
    periods = set()
    day = days[0]
    while day <= days[1]:
        periods.update(periods_of(day))
        day += timedelta(days=1)
    for kind in ("week", "month", "quarter", "year"):  # a kind at a time: smaller sorts
        chosen = [
            (literal(k, String), literal(a, Date), literal(b, Date))
            for k, a, b in sorted(p for p in periods if p[0] == kind)
        ]
        query = _counted(chosen)
        await session.exec(PeriodCount.__table__.insert().from_select(COLUMNS, query))


async def kept_reporters(
    session: AsyncSession, *, kind: str, start: date, unit_id: int, row_ids: list[int]
) -> list[tuple[int | None, int, int]]:
    """(row id, or None for the unit itself, reports, reporters) from the kept counts."""
    query = select(PeriodCount).where(
        PeriodCount.kind == kind,
        PeriodCount.start == start,
        PeriodCount.unit_id.in_([unit_id, *row_ids]),
    )
    found = {row.unit_id: (row.reports, row.reporters) for row in (await session.exec(query)).all()}
    rows = [(row_id, *found[row_id]) for row_id in row_ids if row_id in found]
    return [*rows, (None, *found.get(unit_id, (0, 0)))]
