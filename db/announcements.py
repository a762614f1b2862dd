"""Notices (/thongbao): storing them, who they reach, who acknowledged. Never commits."""

from datetime import datetime

from sqlalchemy import or_
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import (
    Announcement,
    AnnouncementAck,
    ChatGroup,
    Identity,
    Membership,
    Person,
    Team,
    Unit,
)
from db.recipients import with_first_contact
from db.session import dialect_insert


async def create_announcement(session: AsyncSession, **fields) -> Announcement:
    """Store a notice (the fields of `Announcement`) and give it its number."""
    notice = Announcement(**fields)
    session.add(notice)
    await session.flush()
    return notice


async def recent_announcements(
    session: AsyncSession, *, paths: list[str], limit: int = 5
) -> list[tuple[Announcement, Unit]]:
    """The latest notices for units on these paths or above them (a hamlet hears its commune),
    or under them (an official sees what their hamlets' leaders sent), newest first."""
    if not paths:
        return []
    above = [Unit.path.in_([p[: i + 1] for p in paths for i, c in enumerate(p) if c == "/"])]
    under = [Unit.path.startswith(path, autoescape=True) for path in paths]
    query = (
        select(Announcement, Unit)
        .join(Unit, Unit.id == Announcement.unit_id)
        .where(or_(*above, *under))
        .order_by(Announcement.id.desc())
        .limit(limit)
    )
    return list((await session.exec(query)).all())


async def groups_under(session: AsyncSession, *, path: str) -> list[ChatGroup]:
    """The reachable group chats linked to the unit on `path` or to a unit under it."""
    query = (
        select(ChatGroup)
        .join(Unit, Unit.id == ChatGroup.unit_id)
        .where(Unit.path.startswith(path, autoescape=True), ChatGroup.unreachable_at.is_(None))
        .order_by(Unit.path, ChatGroup.id)
    )
    return list((await session.exec(query)).all())


async def people_under(
    session: AsyncSession, *, path: str, roles: list[str]
) -> list[tuple[int, str, str, str | None, str | None]]:
    """(person id, name, hamlet name, platform, user id) of the confirmed people with one of
    `roles` in the teams on or under `path`, each once (their first team in path order), with
    their first reachable account (None when there is none)."""
    query = (
        select(Person.id, Person.display_name, Unit.name, Identity.platform, Identity.user_id)
        .join(Membership, Membership.person_id == Person.id)
        .join(Team, Team.id == Membership.team_id)
        .join(Unit, Unit.id == Team.unit_id)
    )
    query = (
        with_first_contact(query, Person.id)
        .where(
            Unit.path.startswith(path, autoescape=True),
            Membership.confirmed,
            Membership.role.in_(roles),
        )
        .order_by(Unit.path, Person.display_name, Person.id)
    )
    seen, people = set(), []
    for row in (await session.exec(query)).all():
        if row[0] not in seen:
            seen.add(row[0])
            people.append(tuple(row))
    return people


async def add_ack(
    session: AsyncSession, *, announcement_id: int, person_id: int, at: datetime
) -> bool:
    """Record a «Đã nhận»; False when this person had acknowledged already."""
    table = AnnouncementAck.__table__
    statement = (
        dialect_insert(session)(table)
        .values(announcement_id=announcement_id, person_id=person_id, acked_at=at)
        .on_conflict_do_nothing(index_elements=["announcement_id", "person_id"])
        .returning(table.c.id)
    )
    return (await session.exec(statement)).scalar_one_or_none() is not None


async def acked_people(session: AsyncSession, *, announcement_id: int) -> set[int]:
    query = select(AnnouncementAck.person_id).where(
        AnnouncementAck.announcement_id == announcement_id
    )
    return set((await session.exec(query)).all())
