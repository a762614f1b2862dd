"""Who a scheduled post goes to: members and their reports, hamlet groups, officials. Only the
reachable chats count: each person's first reachable identity, groups the bot was not removed
from. Never commits."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import (
    MEMBER_ROLES,
    ChatGroup,
    Identity,
    Level,
    Membership,
    Person,
    Report,
    Role,
    Team,
    Unit,
)
from db.units import commune_or_its_hamlet


@dataclass(frozen=True)
class MemberRow:
    person_id: int
    name: str
    role: str
    team_id: int
    team_name: str  # the hamlet's name
    reported: bool
    platform: str | None  # the person's first reachable identity, if any
    user_id: str | None


def with_first_contact(query, person_id, *, reachable_only: bool = False):
    """`query` joined to each person's first reachable identity, one private chat per person, so
    that it may select Identity.platform and Identity.user_id (None where the person has none;
    `reachable_only` leaves those people out)."""
    contact = (
        select(Identity.person_id, func.min(Identity.id).label("identity_id"))
        .where(Identity.unreachable_at.is_(None))
        .group_by(Identity.person_id)
        .subquery("contact")
    )
    outer = not reachable_only
    return query.join(contact, contact.c.person_id == person_id, isouter=outer).join(
        Identity, Identity.id == contact.c.identity_id, isouter=outer
    )


def _hamlets_of(commune_id: int):
    return select(Unit.id).where(Unit.parent_id == commune_id, Unit.level == Level.HAMLET.value)


async def hamlet_members(
    session: AsyncSession, *, commune_id: int, start: date, end: date
) -> list[MemberRow]:
    """Confirmed members of the commune's hamlet teams, whether they reported, and their chat."""
    reported = (
        exists()
        .where(
            Report.person_id == Membership.person_id,
            ~Report.retracted,
            Report.activity_date >= start,
            Report.activity_date <= end,
        )
        .label("reported")
    )
    query = (
        select(
            Membership.person_id,
            Person.display_name,
            Membership.role,
            Team.id,
            Unit.name,
            reported,
            Identity.platform,
            Identity.user_id,
        )
        .join(Person, Person.id == Membership.person_id)
        .join(Team, Team.id == Membership.team_id)
        .join(Unit, Unit.id == Team.unit_id)
    )
    query = (
        with_first_contact(query, Membership.person_id)
        .where(
            Unit.id.in_(_hamlets_of(commune_id)),
            Membership.confirmed,
            Membership.role.in_(MEMBER_ROLES),
        )
        .order_by(Unit.path, Person.display_name, Person.id)
    )
    return [MemberRow(*row) for row in (await session.exec(query)).all()]


async def silent_hamlet_groups(
    session: AsyncSession, *, commune_id: int, start: date, end: date
) -> list[tuple[ChatGroup, Unit]]:
    """Reachable hamlet groups whose team has no report in [start, end], with their hamlet."""
    team_reported = (
        select(Report.id)
        .join(Team, Team.id == Report.team_id)
        .where(
            Team.unit_id == ChatGroup.unit_id,
            ~Report.retracted,
            Report.activity_date >= start,
            Report.activity_date <= end,
        )
        .exists()
    )
    query = (
        select(ChatGroup, Unit)
        .join(Unit, Unit.id == ChatGroup.unit_id)
        .where(
            Unit.id.in_(_hamlets_of(commune_id)),
            ChatGroup.unreachable_at.is_(None),
            ~team_reported,
        )
        .order_by(Unit.path, ChatGroup.id)
    )
    return list((await session.exec(query)).all())


async def reachable_groups(
    session: AsyncSession, *, commune_ids: list[int]
) -> list[tuple[ChatGroup, Unit]]:
    """Reachable linked groups of these communes and of their hamlets, with their unit."""
    query = (
        select(ChatGroup, Unit)
        .join(Unit, Unit.id == ChatGroup.unit_id)
        .where(
            commune_or_its_hamlet(Unit, commune_ids),
            ChatGroup.unreachable_at.is_(None),
        )
        .order_by(Unit.path, ChatGroup.id)
    )
    return list((await session.exec(query)).all())


async def reachable_officials(
    session: AsyncSession, *, commune_id: int
) -> list[tuple[int, str, str]]:
    """(person id, platform, user id) of the commune's officials who can be reached."""
    query = select(Membership.person_id, Identity.platform, Identity.user_id).join(
        Team, Team.id == Membership.team_id
    )
    query = (
        with_first_contact(query, Membership.person_id, reachable_only=True)
        .where(
            Team.unit_id == commune_id,
            Membership.role == Role.OFFICIAL.value,
            Membership.confirmed,
        )
        .order_by(Membership.person_id)
    )
    return list((await session.exec(query)).all())
