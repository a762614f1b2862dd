"""A group chat that changed its id (Telegram upgrades a group to a supergroup under a new id):
its link, its rate slot and its unsent messages follow it. None of these functions commits."""

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
    """The later of the two free times stays, under the new key: no burst after a move."""
    slots = {
        slot.key: slot
        for slot in (await session.exec(select(RateSlot).where(RateSlot.key.in_([old, new])))).all()
    }
    if old not in slots:
        return
    free = max(slot.next_free_at for slot in slots.values())
    await session.exec(delete(RateSlot).where(RateSlot.key == old))
    if new in slots:
        await session.exec(update(RateSlot).where(RateSlot.key == new).values(next_free_at=free))
    else:
        session.add(RateSlot(key=new, next_free_at=free))
    await session.flush()
