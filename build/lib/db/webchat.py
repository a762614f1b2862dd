"""The local web chat's store: its people, groups and the messages each chat shows. Never commits.

The page has no platform behind it, so what a user typed (their own bubble, the "echo") and what
the bot answered are both WebMessage rows, which the page polls.
"""

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import (
    ChatGroup,
    Identity,
    Membership,
    ProcessedUpdate,
    Team,
    Unit,
    WebMessage,
    utcnow,
)
from db.session import dialect_insert

PLATFORM = "web"
ECHO = "web-echo"  # dedupe key space for the user's own bubble, apart from the update itself


async def web_identity(session: AsyncSession, *, user_id: str) -> Identity | None:
    query = select(Identity).where(Identity.platform == PLATFORM, Identity.user_id == user_id)
    return (await session.exec(query)).first()


async def web_group(session: AsyncSession, *, chat_id: str) -> ChatGroup | None:
    query = select(ChatGroup).where(ChatGroup.platform == PLATFORM, ChatGroup.chat_id == chat_id)
    return (await session.exec(query)).first()


async def web_memberships(
    session: AsyncSession,
) -> list[tuple[Identity, Membership | None, Unit | None]]:
    """Every web identity with each of its memberships and the membership's unit (or None)."""
    query = (
        select(Identity, Membership, Unit)
        .join(Membership, Membership.person_id == Identity.person_id, isouter=True)
        .join(Team, Team.id == Membership.team_id, isouter=True)
        .join(Unit, Unit.id == Team.unit_id, isouter=True)
        .where(Identity.platform == PLATFORM)
        .order_by(Identity.user_id)
    )
    return list((await session.exec(query)).all())


async def web_groups(session: AsyncSession) -> list[tuple[ChatGroup, Unit]]:
    """Every web group with its unit, in path order."""
    query = (
        select(ChatGroup, Unit)
        .join(Unit, Unit.id == ChatGroup.unit_id)
        .where(ChatGroup.platform == PLATFORM)
        .order_by(Unit.path)
    )
    return list((await session.exec(query)).all())


async def add_echo(
    session: AsyncSession, *, update_key: str, chat_id: str, sender: str, payload: dict
) -> bool:
    """The user's own bubble, added once per update key (a browser may submit twice); False for a
    repeat."""
    record = (
        dialect_insert(session)(ProcessedUpdate)
        .values(platform=ECHO, update_id=update_key, received_at=utcnow())
        .on_conflict_do_nothing(index_elements=["platform", "update_id"])
        .returning(ProcessedUpdate.id)
    )
    if (await session.exec(record)).scalar_one_or_none() is None:
        return False
    session.add(WebMessage(chat_id=chat_id, sender=sender, payload=payload))
    return True


def add_bot_messages(session: AsyncSession, *, chat_id: str, payloads: list[dict]) -> None:
    """The bot's message, one row per piece."""
    session.add_all(WebMessage(chat_id=chat_id, from_bot=True, payload=p) for p in payloads)


async def web_messages(
    session: AsyncSession, *, chat_id: str, after: int, limit: int
) -> list[WebMessage]:
    """The chat's messages after id `after` (or its latest `limit` when 0), oldest first."""
    query = select(WebMessage).where(WebMessage.chat_id == chat_id)
    if after:
        query = query.where(WebMessage.id > after).order_by(WebMessage.id).limit(limit)
        return list((await session.exec(query)).all())
    query = query.order_by(WebMessage.id.desc()).limit(limit)
    return list(reversed((await session.exec(query)).all()))
