"""Members per unit, kept exact, so a province or the country reads a few rows.

`MemberCount` holds for each unit at commune level and above, and for the whole country (unit 0),
the distinct confirmed members (MEMBER_ROLES) of the teams under it and how many of them are
unreachable (a chat identity, none of them reachable), as db.tallies counts them live. Distinct
people do not add up, so each person's share is counted for every unit above each of their
teams: whoever changes memberships or identities takes the people's shares out (`count_people`
with sign -1) before the change and puts them back (sign 1) after it, in the same transaction.
The changes: a membership added, raised or confirmed (db.units, /xacnhan), an identity added
(joining, linking), marked unreachable (db.outbox), two people merged (db.people). Never commits.
"""

from sqlalchemy import Integer, and_, bindparam, case, cast, delete, exists, func, literal, union
from sqlalchemy.orm import aliased
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import MEMBER_ROLES, Identity, Level, MemberCount, Membership, Person, Team, Unit
from db.session import dialect_insert, execute_core

COUNTRY_ID = 0  # the row of the whole country


def _shares(where):
    """(unit, person, 1 if unreachable) for each unit at commune level and above over a confirmed
    membership of the people `where` selects, and the country: each pair once."""
    place, up1, up2, up3 = aliased(Unit), aliased(Unit), aliased(Unit), aliased(Unit)
    has_identity = exists().where(Identity.person_id == Membership.person_id)
    reachable = exists().where(
        Identity.person_id == Membership.person_id, Identity.unreachable_at.is_(None)
    )
    lost = case((and_(~reachable, has_identity), 1), else_=0)
    seen = (
        select(
            Membership.person_id.label("person"),
            lost.label("lost"),
            case((place.level == Level.HAMLET.value, None), else_=place.id).label("own"),
            up1.id.label("up1"),
            up2.id.label("up2"),
            up3.id.label("up3"),
        )
        .join(Team, Team.id == Membership.team_id)
        .join(place, place.id == Team.unit_id)
        .outerjoin(up1, up1.id == place.parent_id)
        .outerjoin(up2, up2.id == up1.parent_id)
        .outerjoin(up3, up3.id == up2.parent_id)
        .where(Membership.confirmed, Membership.role.in_(MEMBER_ROLES), where)
    ).cte("seen")
    parts = [
        select(cast(literal(COUNTRY_ID), Integer).label("unit"), seen.c.person, seen.c.lost),
        *(
            select(column.label("unit"), seen.c.person, seen.c.lost).where(column.is_not(None))
            for column in (seen.c.own, seen.c.up1, seen.c.up2, seen.c.up3)
        ),
    ]
    return union(*parts).subquery("shares")  # UNION: a person counts once per unit


def _counted(where, sign: int):
    """Per unit: members and unreachable of the people `where` selects, times `sign`."""
    shares = _shares(where)
    return (
        select(shares.c.unit, func.count() * sign, func.sum(shares.c.lost) * sign)
        .group_by(shares.c.unit)
        .order_by(shares.c.unit)  # rows locked in one order by every writer
    )


BUILT: dict[tuple[str, int], list] = {}


def _statements(session: AsyncSession, sign: int) -> list:
    key = (session.get_bind().dialect.name, sign)
    if key not in BUILT:
        where = Membership.person_id.in_(bindparam("ids", expanding=True))
        table = MemberCount.__table__
        columns = ["unit_id", "members", "unreachable"]
        statement = dialect_insert(session)(table).from_select(columns, _counted(where, sign))
        statement = statement.on_conflict_do_update(
            index_elements=["unit_id"],
            set_={c: table.c[c] + statement.excluded[c] for c in columns[1:]},
        )
        built = [statement]
        if sign < 0:
            built.append(delete(table).where(table.c.members <= 0))
        BUILT[key] = built
    return BUILT[key]


async def lock_people(session: AsyncSession, *, people: list[int]) -> None:
    """Hold these people's rows until the commit, in id order (PostgreSQL; SQLite has one writer).

    A share taken out is counted from what is committed when its statement starts: two
    transactions changing one person's shares at once would both take out the same share.
    Holding the person first makes the second wait, and count what the first committed.
    """
    query = select(Person.id).where(Person.id.in_(sorted(people))).order_by(Person.id)
    await session.exec(query.with_for_update())


async def count_people(session: AsyncSession, *, people: list[int], sign: int) -> None:
    """Take out (sign -1, before a change) or put back (sign 1, after it) these people's shares.

    Both read the memberships and identities as the database has them: flush ORM changes first.
    """
    ids = sorted({person for person in people if person is not None})
    if ids:
        await session.flush()
        if sign < 0:
            await lock_people(session, people=ids)
        for statement in _statements(session, sign):
            await execute_core(session, statement, {"ids": ids})


async def rebuild_member_counts(session: AsyncSession) -> None:
    """Make the counts again from every membership (after memberships inserted in bulk)."""
    await session.exec(delete(MemberCount))
    query = _counted(Membership.person_id.is_not(None), 1)
    columns = ["unit_id", "members", "unreachable"]
    await session.exec(MemberCount.__table__.insert().from_select(columns, query))


async def member_counts(
    session: AsyncSession, *, unit_ids: list[int]
) -> dict[int, tuple[int, int]]:
    """(members, unreachable) by unit id; a unit with no member has no entry."""
    query = select(MemberCount).where(MemberCount.unit_id.in_(unit_ids))
    return {
        row.unit_id: (row.members, row.unreachable) for row in (await session.exec(query)).all()
    }
