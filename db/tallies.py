"""What the rows of a summary counted: sums, reports, reporters, members, the unreachable.

Every sum, count and distinct count is done by the database with GROUP BY; only grouped rows come
back. A report counts in the period of its `activity_date` (not when it was sent), and retracted
reports never count: an edit retracts the old row and adds a new one, so the edit counts once.
`rows` is a row map (`db.rows.row_map` or `hamlet_map`): a subquery of unit ids and their row ids.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import (
    Integer,
    and_,
    case,
    cast,
    distinct,
    exists,
    func,
    join,
    literal,
    null,
    union_all,
)
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.member_counts import member_counts
from db.models import (
    MEMBER_ROLES,
    DailyReporter,
    DailyTotal,
    Identity,
    Indicator,
    Membership,
    Report,
    ReportLine,
    Team,
)
from db.period_reporters import kept_reporters, whole_period

Counts = dict[str, int]  # indicator code -> sum


@dataclass
class Tally:
    """What one row (or the whole unit) counted over one period."""

    counts: Counts = field(default_factory=dict)
    reports: int = 0
    reporters: int = 0  # distinct people who reported
    members: int = 0  # distinct confirmed members (MEMBER_ROLES) of its teams
    unreachable: int = 0  # members with a chat identity, every one of them unreachable


def add_up(parts) -> Counts:
    """Per-code figures of several rows added up (sums and targets are; distinct people are not)."""
    total: dict[str, int] = defaultdict(int)
    for figures in parts:
        for code, n in figures.items():
            total[code] += n
    return dict(total)


async def period_counts(
    session: AsyncSession, *, rows, periods: list[tuple[date, date]], rolled=None
) -> list[dict[int | None, Counts]]:
    """Sums per row id (None for a row map without rows) and indicator code, one dict per period.

    One query over the span of the periods (a period and the one before it are adjacent), each
    line put in its period by a CASE, so the comparison costs no second scan. `rolled`: from the
    day totals (`db.rollups`): `DailyTotal` for a map of communes and above (`row_map(...,
    hamlets=False)`), `ProvinceTotal` for a map of provinces (`db.rows.province_map`).
    """
    key = [rows.c.row_id] if "row_id" in rows.c else []
    source, day, count, standing = _lines(rows, rolled)
    which = case(
        *(
            (and_(day >= first, day <= last), number)
            for number, (first, last) in enumerate(periods)
        ),
        else_=-1,
    ).label("which")
    query = (
        select(which, *key, Indicator.code, func.sum(count))
        .select_from(source)
        .where(
            *standing,
            day >= min(first for first, _ in periods),
            day <= max(last for _, last in periods),
            Indicator.active,
        )
        .group_by(which, *key, Indicator.code)
    )
    found: list[dict] = [defaultdict(dict) for _ in periods]
    for values in (await session.exec(query)).all():
        number, *row, code, total = values
        if number >= 0:
            found[number][row[0] if key else None][code] = int(total)
    return [dict(by_row) for by_row in found]


def _lines(rows, rolled):
    """What to sum: (FROM with the rows and Indicator joined, its date, its count, conditions)."""
    if rolled:
        model = DailyTotal if rolled is True else rolled
        source = join(model, rows, rows.c.unit_id == model.unit_id)
        source = source.join(Indicator, Indicator.id == model.indicator_id)
        return source, model.day, model.total, []
    source = join(Report, Team, Team.id == Report.team_id)
    source = source.join(rows, rows.c.unit_id == Team.unit_id)
    source = source.join(ReportLine, ReportLine.report_id == Report.id)
    source = source.join(Indicator, Indicator.id == ReportLine.indicator_id)
    return source, Report.activity_date, ReportLine.count, [~Report.retracted]


async def tallies(
    session: AsyncSession,
    *,
    rows,
    start: date,
    end: date,
    counts: dict[int | None, Counts],
    rolled=None,
    kept: tuple[int, list[int]] | None = None,
) -> tuple[dict[int, Tally], Tally]:
    """Counts, reports, reporters, members and unreachable per row id, and for all the rows.

    `counts` are the sums made by `period_counts` for [start, end]; the whole's counts are their
    sum. Reporters and members are distinct people, which do not add up (one person may be in two
    hamlets), so each query counts them per row and for the whole from one CTE. `rolled`, a map
    of the same rows without hamlets: reports and reporters from the day totals. `kept`, (the
    unit's id, the row ids) of a roll-up: members from the kept counts (db.member_counts), and
    over a whole calendar period reports and reporters too (db.period_reporters).
    """
    found: dict[int, Tally] = defaultdict(Tally)
    whole = Tally(counts=add_up(counts.values()))
    for row_id, by_code in counts.items():
        found[row_id].counts = dict(by_code)
    kind = whole_period(start, end)
    if kept is not None and kind is not None:
        counted = await kept_reporters(
            session, kind=kind, start=start, unit_id=kept[0], row_ids=kept[1]
        )
    else:
        reports = (
            _reports(rows, start, end) if rolled is None else _day_reporters(rolled, start, end)
        )
        counted = await _per_row_and_whole(session, reports, "reports", add=rolled is not None)
    for row_id, number, reporters in counted:
        tally = whole if row_id is None else found[row_id]
        tally.reports, tally.reporters = int(number), int(reporters)
    if kept is None:
        members = await _per_row_and_whole(session, _members(rows), "members")
    else:
        members = await _kept_members(session, *kept)
    for row_id, number, lost in members:
        tally = whole if row_id is None else found[row_id]
        tally.members, tally.unreachable = int(number), int(lost)
    return dict(found), whole


async def _kept_members(session: AsyncSession, unit_id: int, row_ids: list[int]):
    """(row id or None for the whole, members, unreachable) from the kept counts."""
    counted = await member_counts(session, unit_ids=[unit_id, *row_ids])
    rows = [(row_id, *counted[row_id]) for row_id in row_ids if row_id in counted]
    return [*rows, (None, *counted.get(unit_id, (0, 0)))]


def _reports(rows, start: date, end: date):
    """(row id, report, its person) for every standing report of the rows in [start, end]."""
    return (
        select(rows.c.row_id, Report.id.label("item"), Report.person_id.label("person"))
        .select_from(Report)
        .join(Team, Team.id == Report.team_id)
        .join(rows, rows.c.unit_id == Team.unit_id)
        .where(~Report.retracted, Report.activity_date >= start, Report.activity_date <= end)
    )


def _day_reporters(rolled, start: date, end: date):
    """(row id, reports, person) per day and commune of the rows in [start, end]: `item` adds up."""
    return (
        select(
            rolled.c.row_id,
            DailyReporter.reports.label("item"),
            DailyReporter.person_id.label("person"),
        )
        .select_from(DailyReporter)
        .join(rolled, rolled.c.unit_id == DailyReporter.unit_id)
        .where(DailyReporter.day >= start, DailyReporter.day <= end)
    )


def _members(rows):
    """(row id, member, member if unreachable) for every confirmed member of a team of the rows.

    Unreachable: has a chat identity, and none of them is reachable. Correlated EXISTS probes use
    the index on identity.person_id, so only the unit's members are looked at; the "reachable"
    probe comes first, as it settles almost everybody.
    """
    has_identity = exists().where(Identity.person_id == Membership.person_id)
    reachable = exists().where(
        Identity.person_id == Membership.person_id, Identity.unreachable_at.is_(None)
    )
    return (
        select(
            rows.c.row_id,
            Membership.person_id.label("item"),
            case((and_(~reachable, has_identity), Membership.person_id)).label("person"),
        )
        .select_from(Membership)
        .join(Team, Team.id == Membership.team_id)
        .join(rows, rows.c.unit_id == Team.unit_id)
        .where(Membership.confirmed, Membership.role.in_(MEMBER_ROLES))
    )


async def _per_row_and_whole(session: AsyncSession, query, name: str, add: bool = False):
    """(row id, count(distinct item), count(distinct person)) per row, then (None, …) for all.

    One statement: the rows of `query` (row_id, item, person) are read once into a CTE and
    counted twice, by row and over everything (a row id of None is the whole). `add`: the items
    are numbers to sum, not things to count.
    """
    per = query.cte(name)
    item = func.sum(per.c.item) if add else func.count(distinct(per.c.item))
    person = func.count(distinct(per.c.person))
    by_row = select(literal(1).label("by_row"), per.c.row_id, item, person).group_by(per.c.row_id)
    overall = select(literal(0), cast(null(), Integer), item, person)
    found = (await session.exec(union_all(by_row, overall))).all()
    return [(row_id if is_row else None, n or 0, m) for is_row, row_id, n, m in found]
