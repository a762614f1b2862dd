"""bot.core.state: a user's open flow is kept per platform, chat and user, written by the explicit
write before the transaction commits (`bot.batch.write_queued`), dropped when it rolls back, and
forgotten once it expires."""

from datetime import timedelta

import pytest
from sqlmodel import select

from bot.batch import write_queued
from bot.core import state
from bot.core.context import Context
from bot.core.events import ChatKind, Event
from bot.core.replies import Choice, Reply
from db.models import Conversation, utcnow
from db.session import session_scope
from tests.bot.dialogue import BUTTONS, PLATFORM, WEDNESDAY, Dialogue


def context(session, user: str = "u1", chat: str | None = None) -> Context:
    event = Event(
        platform=PLATFORM,
        chat_id=chat or user,
        chat_kind=ChatKind.GROUP if chat else ChatKind.PRIVATE,
        user_id=user,
        display_name=user,
        update_key="1",
    )
    return Context(
        session=session,
        event=event,
        settings=Dialogue.settings,
        capabilities=BUTTONS,
        now=WEDNESDAY,
    )


async def stored() -> list[Conversation]:
    async with session_scope() as session:
        query = select(Conversation).order_by(Conversation.chat_id, Conversation.user_id)
        return list((await session.exec(query)).all())


async def test_a_started_flow_is_written_at_commit_with_its_expiry(db):
    async with session_scope() as session:
        await state.start(context(session), "report", "date", {"team_id": 4})
        assert await stored() == []  # nothing before the commit
        await write_queued(session)
        await session.commit()
    [row] = await stored()
    assert (row.platform, row.chat_id, row.user_id) == (PLATFORM, "u1", "u1")
    assert (row.flow, row.step, row.data) == ("report", "date", {"team_id": 4})
    minutes = Dialogue.settings.conversation_minutes
    assert row.expires_at - utcnow() == pytest.approx(
        timedelta(minutes=minutes), abs=timedelta(minutes=1)
    )


async def test_load_save_and_end_across_transactions(db):
    async with session_scope() as session:
        await state.start(context(session), "report", "date", {})
        await write_queued(session)
        await session.commit()
    async with session_scope() as session:
        ctx = context(session)
        flow, expired = await state.load(ctx)
        assert (flow.flow, flow.step, expired) == ("report", "date", False)
        await state.save(ctx, flow, "indicator", {"day": "2026-11-18"})
        await write_queued(session)
        await session.commit()
    [row] = await stored()
    assert (row.step, row.data) == ("indicator", {"day": "2026-11-18"})
    async with session_scope() as session:
        await state.end(context(session))
        await write_queued(session)
        await session.commit()
    assert await stored() == []


async def test_a_rollback_or_a_session_closed_without_commit_writes_nothing(db):
    async with session_scope() as session:
        ctx = context(session)
        await state.load(ctx)  # the transaction has begun
        await state.start(ctx, "report", "date", {})
        await session.rollback()
        await write_queued(session)
        await session.commit()
    async with session_scope() as session:
        await state.start(context(session), "report", "date", {})
    assert await stored() == []


async def test_flows_are_kept_apart_by_chat_and_user(db):
    async with session_scope() as session:
        await state.start(context(session, "u1", chat="g1"), "report", "date", {})
        await state.start(context(session, "u2", chat="g1"), "report", "hamlet", {})
        await state.start(context(session, "u1"), "report", "indicator", {})
        await write_queued(session)
        await session.commit()
    rows = [(r.chat_id, r.user_id, r.step) for r in await stored()]
    assert rows == [("g1", "u1", "date"), ("g1", "u2", "hamlet"), ("u1", "u1", "indicator")]
    async with session_scope() as session:
        flow, _ = await state.load(context(session, "u3", chat="g1"))
        assert flow is None


@pytest.mark.parametrize(("flow", "said_expired"), [("report", True), (state.MENU, False)])
async def test_an_expired_conversation_is_removed(db, flow, said_expired):
    """An expired flow is reported as such (the user is told); an expired choice list is not."""
    async with session_scope() as session:
        await state.start(context(session), flow, "date", {})
        await write_queued(session)
        await session.commit()
    async with session_scope() as session:
        row = (await session.exec(select(Conversation))).one()
        row.expires_at = utcnow() - timedelta(seconds=1)
        session.add(row)
        await write_queued(session)
        await session.commit()
    async with session_scope() as session:
        assert await state.load(context(session)) == (None, said_expired)
        await write_queued(session)
        await session.commit()
    assert await stored() == []


async def test_offered_choices_are_remembered_with_their_typed_labels(db):
    replies = [
        Reply("Chọn", choices=(Choice("Hôm nay", "day:0"), Choice("✖️ Hủy", "cancel"))),
        Reply("Cho tổ trưởng", choices=(Choice("Xác nhận", "ok"),), private_to="u9"),
    ]
    async with session_scope() as session:
        await state.remember_choices(context(session), replies)
        await write_queued(session)
        await session.commit()
    [row] = await stored()
    assert (row.flow, row.step) == (state.MENU, "choose")
    assert row.data == {"choices": ["day:0", "cancel"], "labels": ["hom nay", "huy"]}


async def test_choices_in_an_open_flow_join_its_data(db):
    async with session_scope() as session:
        ctx = context(session)
        await state.start(ctx, "report", "date", {"team_id": 4})
        await state.remember_choices(ctx, [Reply("?", choices=(Choice("Hôm qua", "day:1"),))])
        await write_queued(session)
        await session.commit()
    [row] = await stored()
    assert (row.flow, row.step) == ("report", "date")
    assert row.data == {"team_id": 4, "choices": ["day:1"], "labels": ["hom qua"]}
