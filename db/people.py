"""People and their chat accounts: link codes, and merging two people into one. Never commits."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.member_counts import count_people
from db.models import (
    LEADER_ROLES,
    Announcement,
    AnnouncementAck,
    Campaign,
    Difficulty,
    DifficultyEvent,
    HowTo,
    Identity,
    LinkCode,
    Membership,
    Person,
    ReportChange,
    Role,
    Task,
    Team,
    Unit,
    utcnow,
)
from db.reports import forget_day_reports
from db.rollups import move_reports
from db.units import INVITE_ALPHABET, ROLE_RANK

LINK_CODE_MINUTES = 15
LINK_CODE_LENGTH = 6


class LinkProblem(Exception):
    """Why a link code joins nothing: `unknown`, `expired`, `already` or `same_platform`."""


async def create_link_code(
    session: AsyncSession,
    *,
    person_id: int,
    minutes: int = LINK_CODE_MINUTES,
    now: datetime | None = None,
) -> LinkCode:
    """A fresh code for the person; their older codes and everyone's expired ones are removed."""
    now = now or utcnow()
    await session.exec(
        delete(LinkCode).where((LinkCode.person_id == person_id) | (LinkCode.expires_at <= now))
    )
    for _ in range(10):
        code = "".join(secrets.choice(INVITE_ALPHABET) for _ in range(LINK_CODE_LENGTH))
        if await session.get(LinkCode, code) is None:
            break
    link = LinkCode(code=code, person_id=person_id, expires_at=now + timedelta(minutes=minutes))
    session.add(link)
    await session.flush()
    return link


async def link_identity(
    session: AsyncSession,
    *,
    code: str,
    platform: str,
    user_id: str,
    display_name: str = "",
    now: datetime | None = None,
) -> Person:
    """Join an account (and the person behind it, if any) to the person who made the code."""
    now = now or utcnow()
    link = await session.get(LinkCode, code.strip().upper())
    if link is None:
        raise LinkProblem("unknown")
    if link.expires_at <= now:
        raise LinkProblem("expired")
    person = await session.get(Person, link.person_id)
    own = (
        await session.exec(
            select(Identity).where(Identity.platform == platform, Identity.user_id == user_id)
        )
    ).first()
    if own is not None and own.person_id == person.id:
        raise LinkProblem("already")
    mine = await platforms(session, person_id=own.person_id) if own else {platform}
    if mine & await platforms(session, person_id=person.id):
        raise LinkProblem("same_platform")
    # One DELETE claims the code, so two accounts racing for it cannot both get it.
    claimed = await session.exec(
        delete(LinkCode).where(LinkCode.code == link.code, LinkCode.expires_at > now)
    )
    if claimed.rowcount != 1:
        raise LinkProblem("unknown")
    if own is None:
        await add_identity(
            session, person_id=person.id, platform=platform, user_id=user_id, name=display_name
        )
    else:
        await merge_people(session, into=person, source_id=own.person_id)
    return person


async def add_identity(
    session: AsyncSession,
    *,
    person_id: int,
    platform: str,
    user_id: str,
    name: str,
    unreachable_at: datetime | None = None,
) -> Identity:
    """Give a person a chat account; a reachable one makes them reachable (db.member_counts)."""
    await count_people(session, people=[person_id], sign=-1)
    identity = Identity(
        person_id=person_id,
        platform=platform,
        user_id=user_id,
        display_name=name,
        unreachable_at=unreachable_at,
    )
    session.add(identity)
    await count_people(session, people=[person_id], sign=1)
    return identity


async def platforms(session: AsyncSession, *, person_id: int) -> set[str]:
    """The platforms the person has an account on."""
    query = select(Identity.platform).where(Identity.person_id == person_id)
    return set((await session.exec(query)).all())


async def identities(session: AsyncSession, *, person_id: int) -> list[Identity]:
    query = select(Identity).where(Identity.person_id == person_id).order_by(Identity.id)
    return list((await session.exec(query)).all())


async def first_reachable(session: AsyncSession, *, person_id: int) -> Identity | None:
    """The person's first account the bot can still write to: one private chat per person."""
    query = (
        select(Identity)
        .where(Identity.person_id == person_id, Identity.unreachable_at.is_(None))
        .order_by(Identity.id)
    )
    return (await session.exec(query)).first()


async def merge_people(session: AsyncSession, *, into: Person, source_id: int) -> None:
    """Move the accounts, memberships, reports and codes of `source_id` to `into`, then delete it.

    A team both belong to keeps one membership with the higher role, confirmed if either was.
    The caller checks that the two have no platform in common.
    """
    source = await session.get(Person, source_id)
    if source is None or source.id == into.id:
        return
    await count_people(session, people=[source.id, into.id], sign=-1)
    query = select(Membership).where(Membership.person_id.in_([source.id, into.id]))
    memberships = list((await session.exec(query)).all())
    kept = {m.team_id: m for m in memberships if m.person_id == into.id}
    for membership in (m for m in memberships if m.person_id == source.id):
        mine = kept.get(membership.team_id)
        if mine is None:
            membership.person_id = into.id  # keeps its id, so a pending /xacnhan still works
            session.add(membership)
            continue
        if ROLE_RANK[Role(membership.role)] > ROLE_RANK[Role(mine.role)]:
            mine.role = membership.role
        mine.confirmed = mine.confirmed or membership.confirmed
        session.add(mine)
        await session.delete(membership)
    await session.flush()
    await _move_references(session, source_id=source.id, into_id=into.id)
    await move_reports(session, source_id=source.id, into_id=into.id)
    forget_day_reports(session)
    if not into.phone and source.phone:
        into.phone = source.phone
        session.add(into)
    await session.delete(source)
    await session.flush()
    await count_people(session, people=[into.id], sign=1)


# Every column that names a person, besides memberships and reports (merged above with their own
# rules): a merge moves them all. tests/db/test_people.py checks no such column is missing here.
PERSON_COLUMNS = (
    Identity.person_id,
    LinkCode.person_id,
    ReportChange.actor_id,
    Announcement.sender_id,
    AnnouncementAck.person_id,
    Difficulty.person_id,
    Difficulty.handler_id,
    DifficultyEvent.person_id,
    HowTo.person_id,
    Campaign.created_by,
    Task.person_id,
    Task.assigned_by,
)


async def _move_references(session: AsyncSession, *, source_id: int, into_id: int) -> None:
    """Point every PERSON_COLUMNS row of `source_id` at `into_id`; a notice both acknowledged
    keeps one acknowledgement."""
    both = select(AnnouncementAck.announcement_id).where(AnnouncementAck.person_id == into_id)
    await session.exec(
        delete(AnnouncementAck).where(
            AnnouncementAck.person_id == source_id, AnnouncementAck.announcement_id.in_(both)
        )
    )
    for column in PERSON_COLUMNS:
        await session.exec(
            update(column.class_).where(column == source_id).values({column: into_id})
        )


@dataclass(frozen=True)
class RosterName:
    """A confirmed person of a team's roster, with what decides whether a joiner may claim them."""

    person: Person
    linked: bool  # has an account on some chat app already
    top_role: Role  # the highest role over all the person's teams


async def roster_names(session: AsyncSession, *, team_id: int) -> list[RosterName]:
    """The team's confirmed people by name, each with their accounts and roles everywhere."""
    query = (
        select(Person)
        .join(Membership, Membership.person_id == Person.id)
        .where(Membership.team_id == team_id, Membership.confirmed)
        .order_by(Person.display_name, Person.id)
    )
    people = list((await session.exec(query)).all())
    ids = [person.id for person in people]
    linked = set(
        (await session.exec(select(Identity.person_id).where(Identity.person_id.in_(ids)))).all()
    )
    roles: dict[int, Role] = {}
    query = select(Membership.person_id, Membership.role).where(Membership.person_id.in_(ids))
    for person_id, role in (await session.exec(query)).all():
        best = roles.get(person_id, Role.MEMBER)
        roles[person_id] = max(best, Role(role), key=ROLE_RANK.__getitem__)
    return [RosterName(p, p.id in linked, roles.get(p.id, Role.MEMBER)) for p in people]


async def lock_unlinked(session: AsyncSession, *, person_id: int) -> bool:
    """Lock the person's row, then tell whether they still have no account: two joiners claiming
    one name at once are served in turn, and the second sees the first one's account."""
    await session.exec(select(Person.id).where(Person.id == person_id).with_for_update())
    found = await session.exec(select(Identity.id).where(Identity.person_id == person_id))
    return found.first() is None


async def unit_leaders(session: AsyncSession, *, unit: Unit) -> list[Identity]:
    """Accounts of who answers for the unit: its team's leaders, deputies and officials, and
    the officials of the unit just above it. Ordered by person, so callers can tell each once."""
    above = [unit.id] if unit.parent_id is None else [unit.id, unit.parent_id]
    query = (
        select(Identity)
        .join(Membership, Membership.person_id == Identity.person_id)
        .join(Team, Team.id == Membership.team_id)
        .where(
            ((Team.unit_id == unit.id) & Membership.role.in_([*LEADER_ROLES, Role.OFFICIAL]))
            | (Team.unit_id.in_(above) & (Membership.role == Role.OFFICIAL))
        )
        .order_by(Identity.person_id, Identity.id)
    )
    return list((await session.exec(query)).unique().all())


async def code_owner(session: AsyncSession, *, code: str) -> Person | None:
    """The person who made a link code (expired or not), to tell them of a refused use."""
    link = await session.get(LinkCode, code.strip().upper())
    return await session.get(Person, link.person_id) if link else None
