"""A group that changed its id takes its link, its rate slot and its unsent messages along."""

from datetime import timedelta

from sqlmodel import select

from bot.core.replies import Reply
from db.chat_moves import move_group
from db.models import ChatGroup, Level, Outbox, RateSlot, utcnow
from db.outbox import enqueue
from db.rate_slots import chat_slot
from db.session import session_scope
from db.units import create_unit

OLD, NEW = "-100200300", "-1001234567890"


async def _setup(*, linked_new: bool = False) -> None:
    now = utcnow()
    async with session_scope() as session:
        unit = await create_unit(session, level=Level.COMMUNE, name="Xã Tân Phú", parent=None)
        session.add(
            ChatGroup(platform="telegram", chat_id=OLD, unit_id=unit.id, unreachable_at=now)
        )
        if linked_new:
            other = await create_unit(session, level=Level.COMMUNE, name="Xã Phú Hòa", parent=None)
            session.add(ChatGroup(platform="telegram", chat_id=NEW, unit_id=other.id))
        session.add(
            RateSlot(key=chat_slot("telegram", OLD), next_free_at=now + timedelta(seconds=9))
        )
        for text in ("chờ gửi", "đã gửi"):
            await enqueue(
                session, platform="telegram", chat_id=OLD, reply=Reply(text), is_group=True
            )
        await session.commit()
        sent = (await session.exec(select(Outbox).where(Outbox.id == 2))).one()
        sent.status = "sent"
        await session.commit()


async def test_link_slot_and_pending_rows_follow_the_group(db):
    await _setup()
    async with session_scope() as session:
        moved = await move_group(session, platform="telegram", old_chat_id=OLD, new_chat_id=NEW)
        await session.commit()
    assert moved == 1
    async with session_scope() as session:
        [group] = (await session.exec(select(ChatGroup))).all()
        assert (group.chat_id, group.unreachable_at) == (NEW, None)
        slots = (await session.exec(select(RateSlot.key))).all()
        assert slots == [chat_slot("telegram", NEW)]
        rows = (await session.exec(select(Outbox.chat_id, Outbox.status).order_by(Outbox.id))).all()
        assert rows == [(NEW, "pending"), (OLD, "sent")]


async def test_a_link_made_in_the_new_chat_wins(db):
    await _setup(linked_new=True)
    async with session_scope() as session:
        await move_group(session, platform="telegram", old_chat_id=OLD, new_chat_id=NEW)
        await session.commit()
    async with session_scope() as session:
        [group] = (await session.exec(select(ChatGroup))).all()
        assert group.chat_id == NEW
