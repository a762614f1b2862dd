"""Administrative units, teams, people and invites: keyword-only queries that never commit."""

import secrets
from datetime import datetime, timedelta

from sqlalchemy import Row, and_, case, func, or_, update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession
from vietnam_provinces import Province, Ward

from db.member_counts import count_people
from db.models import ChatGroup, Invite, Level, Membership, Person, Role, Team, Unit, utcnow

INVITE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone


async def get_unit(session: AsyncSession, *, code: str) -> Unit | None:
    return (await session.exec(select(Unit).where(Unit.code == code))).first()


async def create_unit(
    session: AsyncSession,
    *,
    level: Level,
    name: str,
    parent: Unit | None,
    code: str | None = None,
    official: bool = False,
) -> Unit:
    """Add a unit; units with no official code (hamlets, old districts) get `<parent code>-NN`."""
    if code is None:
        code = await _next_child_code(session, parent=parent)
    prefix = parent.path if parent else "/"
    unit = Unit(
        code=code,
        level=level,
        name=name,
        parent_id=parent.id if parent else None,
        path=f"{prefix}{code}/",
        official=official,
    )
    session.add(unit)
    await session.flush()
    return unit


async def _next_child_code(session: AsyncSession, *, parent: Unit | None) -> str:
    base = parent.code if parent else "X"
    taken = set(
        (await session.exec(select(Unit.code).where(Unit.code.startswith(f"{base}-")))).all()
    )
    number = len(taken) + 1
    while f"{base}-{number:02d}" in taken:
        number += 1
    return f"{base}-{number:02d}"


async def load_official_units(session: AsyncSession) -> int:
    """Insert the 34 provinces and 3,321 communes of the 2025 reform that are missing; returns how many."""
    known = set((await session.exec(select(Unit.code).where(Unit.official))).all())
    provinces: dict[str, Unit] = {}
    added = 0
    for province in Province.iter_all():
        code = f"{int(province.code):02d}"
        if code in known:
            provinces[code] = await get_unit(session, code=code)
            continue
        provinces[code] = await create_unit(
            session, level=Level.PROVINCE, name=province.name, parent=None, code=code, official=True
        )
        added += 1
    for ward in Ward.iter_all():
        code = f"{int(ward.code):05d}"
        if code in known:
            continue
        parent = provinces[f"{int(ward.province_code):02d}"]
        session.add(
            Unit(
                code=code,
                level=Level.COMMUNE,
                name=ward.name,
                parent_id=parent.id,
                path=f"{parent.path}{code}/",
                official=True,
            )
        )
        added += 1
    await session.flush()
    return added


async def list_units(session: AsyncSession, *, under: Unit | None = None) -> list[Unit]:
    query = select(Unit).order_by(Unit.path)
    if under is not None:
        query = query.where(Unit.path.startswith(under.path))
    return list((await session.exec(query)).all())


async def ensure_team(session: AsyncSession, *, unit: Unit, name: str) -> Team:
    """The unit's team, created under `name` (words are the caller's) if it has none."""
    team = (await session.exec(select(Team).where(Team.unit_id == unit.id))).first()
    if team is None:
        team = Team(unit_id=unit.id, name=name)
        session.add(team)
        await session.flush()
    return team


async def add_membership(
    session: AsyncSession, *, person: Person | Row, team: Team, role: Role, confirmed: bool = True
) -> Membership:
    """Give a person a role in a team; an existing membership keeps the higher of the two roles."""
    await count_people(session, people=[person.id], sign=-1)
    membership = (
        await session.exec(
            select(Membership).where(
                Membership.person_id == person.id, Membership.team_id == team.id
            )
        )
    ).first()
    if membership is None:
        membership = Membership(
            person_id=person.id, team_id=team.id, role=role, confirmed=confirmed
        )
        session.add(membership)
    elif ROLE_RANK[Role(role)] > ROLE_RANK[Role(membership.role)]:
        membership.role = role
    await session.flush()
    await count_people(session, people=[person.id], sign=1)
    return membership


async def confirm_membership(session: AsyncSession, *, membership: Membership) -> None:
    """A leader confirms a joiner: from now on they count as a member."""
    await count_people(session, people=[membership.person_id], sign=-1)
    membership.confirmed = True
    session.add(membership)
    await count_people(session, people=[membership.person_id], sign=1)


ROLE_RANK = {Role.MEMBER: 0, Role.DEPUTY: 1, Role.LEADER: 2, Role.OFFICIAL: 3}


async def create_invite(
    session: AsyncSession, *, unit: Unit, role: Role, uses: int = 1, days: int = 7
) -> Invite:
    for _ in range(10):
        code = "".join(secrets.choice(INVITE_ALPHABET) for _ in range(6))
        if (await session.exec(select(Invite).where(Invite.code == code))).first() is None:
            break
    invite = Invite(
        code=code,
        unit_id=unit.id,
        role=role,
        max_uses=uses,
        expires_at=utcnow() + timedelta(days=days),
    )
    session.add(invite)
    await session.flush()
    return invite


class InviteProblem(Exception):
    """Why an invite code cannot be used: `unknown`, `expired` or `used_up`."""


async def find_invite(session: AsyncSession, *, code: str, now: datetime | None = None) -> Invite:
    """The invite behind a code that can still be used, or InviteProblem. Counts no use:
    `take_invite` does, once someone actually joins with it."""
    invite = (await session.exec(select(Invite).where(Invite.code == code.strip().upper()))).first()
    if invite is None:
        raise InviteProblem("unknown")
    if invite.expires_at <= (now or utcnow()):
        raise InviteProblem("expired")
    if invite.uses >= invite.max_uses:
        raise InviteProblem("used_up")
    return invite


async def take_invite(session: AsyncSession, *, invite_id: int) -> None:
    """Count one use of an invite, or raise InviteProblem("used_up").

    One atomic UPDATE, so two people using the last place at once cannot both get it."""
    result = await session.exec(
        update(Invite)
        .where(Invite.id == invite_id, Invite.uses < Invite.max_uses)
        .values(uses=Invite.uses + 1)
    )
    if result.rowcount != 1:
        raise InviteProblem("used_up")


async def count_rows(session: AsyncSession, model) -> int:
    return (await session.exec(select(func.count()).select_from(model))).one()


def commune_or_its_hamlet(unit, commune_ids: list[int]):
    """SQL condition: `unit` (the Unit model or an alias of it) is one of these communes or one of
    their hamlets; what a commune's leaderboard and its posts cover."""
    return or_(
        unit.id.in_(commune_ids),
        and_(unit.parent_id.in_(commune_ids), unit.level == Level.HAMLET.value),
    )


def commune_id_of(unit):
    """SQL value: the commune of `unit` (a hamlet's parent), or the unit itself at commune level
    and above; where a team's reports count in a commune's leaderboard and its day totals."""
    return case((unit.level == Level.HAMLET.value, unit.parent_id), else_=unit.id)


async def has_provinces(session: AsyncSession) -> bool:
    return (
        await session.exec(select(Unit.id).where(Unit.level == Level.PROVINCE))
    ).first() is not None


async def child_units(session: AsyncSession, *, parent_id: int | None, level: Level) -> list[Unit]:
    """The units of `level` right under the parent (top-level ones for None)."""
    query = select(Unit).where(Unit.level == level, Unit.parent_id == parent_id)
    if parent_id is None:
        query = select(Unit).where(Unit.level == level, Unit.parent_id.is_(None))
    return list((await session.exec(query)).all())


async def units_under(session: AsyncSession, *, paths: list[str], level: Level) -> list[Unit]:
    """Units of `level` anywhere under these unit paths, in path order."""
    if not paths:
        return []
    under = [Unit.path.startswith(path, autoescape=True) for path in paths]
    query = select(Unit).where(Unit.level == level.value, or_(*under)).order_by(Unit.path)
    return list((await session.exec(query)).all())


async def team_people(session: AsyncSession, *, team_id: int) -> list[Person]:
    """Everyone with a membership in the team, confirmed or not."""
    query = (
        select(Person)
        .join(Membership, Membership.person_id == Person.id)
        .where(Membership.team_id == team_id)
    )
    return list((await session.exec(query)).all())


async def save_group_link(
    session: AsyncSession, *, platform: str, chat_id: str, unit_id: int, title: str
) -> None:
    """Link a group chat to a unit (moving it if linked elsewhere); a new title replaces the old,
    and the group counts as reachable again."""
    query = select(ChatGroup).where(ChatGroup.platform == platform, ChatGroup.chat_id == chat_id)
    group = (await session.exec(query)).first()
    if group is None:
        group = ChatGroup(platform=platform, chat_id=chat_id, unit_id=unit_id)
    group.unit_id = unit_id
    group.title = title or group.title
    group.unreachable_at = None
    session.add(group)
    await session.flush()
