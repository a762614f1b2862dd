"""Group chats that change: a new id (Telegram upgrades a group to a supergroup under a new id)
takes the link, the rate slot and the unsent messages along; a group that removed the bot gets
nothing more until it adds the bot again. None of these functions commits."""

from datetime import datetime

from sqlalchemy import delete, update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import ChatGroup, Outbox, RateSlot
from db.rate_slots import chat_slot

PENDING = "pending"


async def move_group(
    session: AsyncSession, *, platform: str, old_chat_id: str, new_chat_id: str
) -> int:
    """Move everything kept under the old chat id to the new one; returns the rows moved."""
    if old_chat_id == new_chat_id:
        return 0
    await _move_link(session, platform=platform, old=old_chat_id, new=new_chat_id)
    await _move_slot(
        session, old=chat_slot(platform, old_chat_id), new=chat_slot(platform, new_chat_id)
    )
    moved = await session.exec(
        update(Outbox)
        .where(Outbox.platform == platform, Outbox.chat_id == old_chat_id)
        .where(Outbox.status == PENDING)
        .values(chat_id=new_chat_id)
    )
    return moved.rowcount


async def set_group_reachable(
    session: AsyncSession, *, platform: str, chat_id: str, unreachable_at: datetime | None
) -> None:
    """Mark a linked group unreachable from `unreachable_at` (None: reachable again)."""
    await session.exec(
        update(ChatGroup)
        .where(ChatGroup.platform == platform, ChatGroup.chat_id == chat_id)
        .values(unreachable_at=unreachable_at)
    )


async def group_linked(session: AsyncSession, *, platform: str, chat_id: str) -> bool:
    where = (ChatGroup.platform == platform, ChatGroup.chat_id == chat_id)
    return (await session.exec(select(ChatGroup.id).where(*where))).first() is not None


async def _move_link(session: AsyncSession, *, platform: str, old: str, new: str) -> None:
    """The old link moves, reachable again; a link already made in the new chat wins."""
    where = (ChatGroup.platform == platform, ChatGroup.chat_id == new)
    if (await session.exec(select(ChatGroup.id).where(*where))).first() is not None:
        await session.exec(
            delete(ChatGroup).where(ChatGroup.platform == platform, ChatGroup.chat_id == old)
        )
        return
    await session.exec(
        update(ChatGroup)
        .where(ChatGroup.platform == platform, ChatGroup.chat_id == old)
        .values(chat_id=new, unreachable_at=None)
    )


async def _move_slot(session: AsyncSession, *, old: str, new: str) -> None:
    """The later of the two free times and both windows stay, under the new key: no burst after
    a move."""
    slots = {
        slot.key: slot
        for slot in (await session.exec(select(RateSlot).where(RateSlot.key.in_([old, new])))).all()
    }
    if old not in slots:
        return
    free = max(slot.next_free_at for slot in slots.values())
    recent = sorted(t for slot in slots.values() for t in slot.recent or ()) or None
    await session.exec(delete(RateSlot).where(RateSlot.key == old))
    if new in slots:
        await session.exec(
            update(RateSlot).where(RateSlot.key == new).values(next_free_at=free, recent=recent)
        )
    else:
        session.add(RateSlot(key=new, next_free_at=free, recent=recent))
    await session.flush()
