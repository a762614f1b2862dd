"""Targets (chỉ tiêu) per unit × indicator × month, quarter or year: keyword-only queries.

They never commit. A target is unique on (unit, indicator, kind, start), so setting one again
replaces it (an upsert) and an import can run twice. A value of 0 removes it. Reading the parts a
summary pro-rates (`target_parts`) is here too; the pro-rating itself is a rule (bot.target_math).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, delete, distinct, func, literal, or_, tuple_
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import MEMBER_ROLES, HamletTarget, Indicator, Level, Membership, Target, Team, Unit
from db.session import dialect_insert

KINDS = ("month", "quarter", "year")
LONGEST = {"month": 31, "quarter": 92, "year": 366}  # days, for a cheap overlap pre-filter in SQL
KEY_COLUMNS = ["unit_id", "indicator_id", "period_kind", "period_start"]
CHUNK = 1000  # keys per statement


@dataclass(frozen=True)
class TargetValue:
    """One target to set: the value for a unit, an indicator and a period (0 removes it)."""

    unit_id: int
    indicator_id: int
    kind: str
    start: date
    value: int


@dataclass(frozen=True)
class TargetInForce:
    """A target in force for a unit; `from_parts` when it is the sum of the units below."""

    kind: str
    start: date
    code: str
    value: int
    from_parts: bool = False


@dataclass(frozen=True)
class TargetPart:
    """Targets of one period summed per row of a summary (see `target_parts`)."""

    row_id: int
    sub_id: int | None  # the commune of the target's unit (a hamlet's parent, a commune itself)
    level: str  # the level of the target's unit
    code: str
    kind: str
    start: date
    value: int


# --- writing ---
async def set_target(
    session: AsyncSession, *, unit_id: int, indicator_id: int, kind: str, start: date, value: int
) -> None:
    """Insert or replace one target in a single statement; 0 deletes it."""
    await set_targets(session, targets=[TargetValue(unit_id, indicator_id, kind, start, value)])


async def set_targets(session: AsyncSession, *, targets: list[TargetValue]) -> None:
    """Set many targets as if one after the other: the last value of a key wins, 0 deletes.

    One DELETE for the zeros and one upsert for the rest, per `CHUNK` keys (bound parameters are
    limited on both engines).
    """
    last = {(t.unit_id, t.indicator_id, t.kind, t.start): t.value for t in targets}
    keys = list(last)
    columns = tuple_(*(getattr(Target, column) for column in KEY_COLUMNS))
    for at in range(0, len(keys), CHUNK):
        chunk = keys[at : at + CHUNK]
        await _sum_hamlets(session, columns.in_(chunk), sign=-1)  # db.models.HamletTarget
        gone = [key for key in chunk if last[key] == 0]
        kept = [dict(zip(KEY_COLUMNS, key, strict=True), value=last[key]) for key in chunk]
        kept = [row for row in kept if row["value"] != 0]
        if gone:
            await session.exec(delete(Target).where(columns.in_(gone)))
        if kept:
            insert = dialect_insert(session)(Target).values(kept)
            statement = insert.on_conflict_do_update(
                index_elements=KEY_COLUMNS, set_={"value": insert.excluded.value}
            )
            await session.exec(statement)
        await _sum_hamlets(session, columns.in_(chunk), sign=1)


async def _sum_hamlets(session: AsyncSession, where, *, sign: int) -> None:
    """Add (sign 1) or take away (sign -1) the hamlet targets `where` selects from their
    communes' sums; sums left at 0 go."""
    key = [Unit.parent_id, Target.indicator_id, Target.period_kind, Target.period_start]
    query = (
        select(*key, func.sum(Target.value) * sign)
        .join(Unit, Unit.id == Target.unit_id)
        .where(Unit.level == Level.HAMLET.value, where)
        .group_by(*key)
        .order_by(*key)  # rows locked in one order by every writer
    )
    table = HamletTarget.__table__
    insert = dialect_insert(session)(table).from_select([*KEY_COLUMNS, "value"], query)
    await session.exec(
        insert.on_conflict_do_update(
            index_elements=KEY_COLUMNS, set_={"value": table.c.value + insert.excluded.value}
        )
    )
    if sign > 0:
        await session.exec(delete(HamletTarget).where(HamletTarget.value <= 0))


async def rebuild_hamlet_targets(session: AsyncSession) -> None:
    """Make the communes' sums of hamlet targets again (after targets inserted in bulk)."""
    await session.exec(delete(HamletTarget))
    await _sum_hamlets(session, Target.id.is_not(None), sign=1)


# --- reading ---
async def get_target(
    session: AsyncSession, *, unit_id: int, indicator_id: int, kind: str, start: date
) -> int | None:
    query = select(Target.value).where(
        Target.unit_id == unit_id,
        Target.indicator_id == indicator_id,
        Target.period_kind == kind,
        Target.period_start == start,
    )
    return (await session.exec(query)).first()


async def hamlet_members(session: AsyncSession, *, commune_id: int) -> list[tuple[Unit, int]]:
    """The commune's hamlets in path order, each with its confirmed members (one GROUP BY)."""
    counted = and_(
        Membership.team_id == Team.id,
        Membership.confirmed,
        Membership.role.in_(MEMBER_ROLES),
    )
    query = (
        select(Unit, func.count(distinct(Membership.person_id)))
        .select_from(Unit)
        .outerjoin(Team, Team.unit_id == Unit.id)
        .outerjoin(Membership, counted)
        .where(Unit.parent_id == commune_id, Unit.level == Level.HAMLET.value)
        .group_by(Unit.id)
        .order_by(Unit.path)
    )
    return [(unit, int(n)) for unit, n in (await session.exec(query)).all()]


async def targets_in_force(
    session: AsyncSession, *, unit_id: int, starts: dict[str, date]
) -> list[TargetInForce]:
    """The unit's targets of each kind that start on `starts[kind]`.

    Where the unit has no target of its own for an indicator and period, the sum of the targets of
    the units directly under it (a commune's hamlets) stands in for it. Ordered by the kinds as
    `starts` lists them, then by the indicator's position; targets of 0 are left out.
    """
    in_force = [(Target.period_kind == k) & (Target.period_start == s) for k, s in starts.items()]
    columns = (Target.period_kind, Indicator.code, Indicator.position)
    own = (
        select(*columns, func.sum(Target.value))
        .join(Indicator, Indicator.id == Target.indicator_id)
        .where(Target.unit_id == unit_id, Indicator.active, or_(*in_force))
        .group_by(*columns)
    )
    below = (
        select(*columns, func.sum(Target.value))
        .join(Indicator, Indicator.id == Target.indicator_id)
        .join(Unit, Unit.id == Target.unit_id)
        .where(Unit.parent_id == unit_id, Indicator.active, or_(*in_force))
        .group_by(*columns)
    )
    found: dict[tuple[str, str], tuple[int, TargetInForce]] = {}
    for query, from_parts in ((below, True), (own, False)):  # own targets win
        for kind, code, position, value in (await session.exec(query)).all():
            line = TargetInForce(kind, starts[kind], code, int(value), from_parts)
            found[(kind, code)] = (position, line)
    order = {kind: n for n, kind in enumerate(starts)}
    ranked = sorted(found.items(), key=lambda item: (order[item[0][0]], item[1][0], item[0][1]))
    return [line for _, (_, line) in ranked if line.value]


async def ids_by_code(session: AsyncSession, model, codes: set[str]) -> dict[str, int]:
    """Ids of the units or indicators (`model`) with these codes; unknown codes are left out."""
    query = select(model.code, model.id).where(model.code.in_(sorted(codes - {""})))
    return dict((await session.exec(query)).all())


# --- the parts a summary pro-rates ---
async def target_parts(
    session: AsyncSession, *, rows, start: date, end: date, hamlets_summed: bool = False
) -> list[TargetPart]:
    """Targets whose period may overlap [start, end], summed per row, commune, level and period.

    `rows` is a row map (`db.rows.row_map` or `hamlet_map`) with row_id, sub_id and level.
    `hamlets_summed`: `rows` has no hamlets (`row_map(..., hamlets=False)`); their targets come
    summed per commune from `HamletTarget`, the same parts from a thirtieth of the rows.
    """
    found = await _parts(
        session, _parts_query(Target, rows, rows.c.sub_id, rows.c.level, start, end)
    )
    if hamlets_summed:
        hamlet = literal(Level.HAMLET.value)
        query = _parts_query(HamletTarget, rows, rows.c.unit_id, hamlet, start, end)
        found += await _parts(session, query)
    return found


def _parts_query(model, rows, sub_id, level, start: date, end: date):
    group = (rows.c.row_id, sub_id, level, Indicator.code, model.period_kind, model.period_start)
    return (
        select(*group, func.sum(model.value))
        .select_from(model)
        .join(rows, rows.c.unit_id == model.unit_id)
        .join(Indicator, Indicator.id == model.indicator_id)
        .where(Indicator.active, _may_overlap(model, start, end))
        .group_by(*group)
    )


async def _parts(session: AsyncSession, query) -> list[TargetPart]:
    return [
        TargetPart(row_id, sub_id, level, code, kind, period_start, int(value))
        for row_id, sub_id, level, code, kind, period_start, value in (
            await session.exec(query)
        ).all()
    ]


async def own_target_parts(
    session: AsyncSession, *, unit_id: int, level: str, start: date, end: date
) -> list[TargetPart]:
    """The unit's own targets whose period may overlap [start, end], as parts of its own row."""
    query = (
        select(Indicator.code, Target.period_kind, Target.period_start, Target.value)
        .join(Indicator, Indicator.id == Target.indicator_id)
        .where(Target.unit_id == unit_id, Indicator.active, _may_overlap(Target, start, end))
    )
    return [
        TargetPart(unit_id, None, level, code, kind, period_start, int(value))
        for code, kind, period_start, value in (await session.exec(query)).all()
    ]


def _may_overlap(model, start: date, end: date):
    """SQL pre-filter: targets whose period may overlap [start, end] (the pro-rating decides)."""
    return and_(
        model.period_start <= end,
        or_(
            *(
                and_(model.period_kind == kind, model.period_start > start - timedelta(days=days))
                for kind, days in LONGEST.items()
            )
        ),
    )
