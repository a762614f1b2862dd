"""People and their chat accounts: link codes, and merging two people into one. Never commits."""

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import Identity, LinkCode, Membership, Person, Report, Role, utcnow
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
        session.add(
            Identity(
                person_id=person.id, platform=platform, user_id=user_id, display_name=display_name
            )
        )
        await session.flush()
    else:
        await merge_people(session, into=person, source_id=own.person_id)
    return person


async def platforms(session: AsyncSession, *, person_id: int) -> set[str]:
    """The platforms the person has an account on."""
    query = select(Identity.platform).where(Identity.person_id == person_id)
    return set((await session.exec(query)).all())


async def identities(session: AsyncSession, *, person_id: int) -> list[Identity]:
    query = select(Identity).where(Identity.person_id == person_id).order_by(Identity.id)
    return list((await session.exec(query)).all())


async def merge_people(session: AsyncSession, *, into: Person, source_id: int) -> None:
    """Move the accounts, memberships, reports and codes of `source_id` to `into`, then delete it.

    A team both belong to keeps one membership with the higher role, confirmed if either was.
    The caller checks that the two have no platform in common.
    """
    source = await session.get(Person, source_id)
    if source is None or source.id == into.id:
        return
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
    for model in (Identity, Report, LinkCode):
        await session.exec(
            update(model).where(model.person_id == source.id).values(person_id=into.id)
        )
    if not into.phone and source.phone:
        into.phone = source.phone
        session.add(into)
    await session.delete(source)
    await session.flush()
