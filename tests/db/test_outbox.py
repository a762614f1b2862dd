"""The outbox's storage: a message exists exactly when its transaction commits, once per dedupe
key; answers are planned by the shared rate slots."""

import asyncio
from datetime import timedelta

import pytest

from bot.core.channel import TELEGRAM
from bot.core.replies import Reply
from db.models import utcnow
from db.outbox import JOB, enqueue
from db.rate_slots import WINDOW, WINDOW_MARGIN, Slots
from tests.fakes.outbox import answer, rows
from tests.helpers import ON_POSTGRES


async def test_enqueue_belongs_to_the_callers_transaction(db):
    async with db() as session:
        row_id = await enqueue(
            session, platform="telegram", chat_id="111", reply=Reply(text="a"), is_group=False
        )
        assert isinstance(row_id, int)
        await session.rollback()
    assert await rows(db) == []


async def test_dedupe_key_keeps_one_row(db):
    async def put_keyed(session, text):
        return await enqueue(
            session,
            platform="telegram",
            chat_id="-100",
            reply=Reply(text=text),
            is_group=True,
            priority=JOB,
            dedupe_key="reminder:2025-W01:-100",
        )

    async with db() as session:
        first = await put_keyed(session, "first")
        same_transaction = await put_keyed(session, "second")
        await session.commit()
    async with db() as session:
        later = await put_keyed(session, "third")
        await session.commit()

    assert isinstance(first, int)
    assert (same_transaction, later) == (None, None)
    [row] = await rows(db)
    assert (row.id, row.payload["text"], row.priority, row.is_group) == (first, "first", JOB, True)


async def test_answers_are_planned_by_the_rate_slots_in_the_update_transaction(db):
    limits = TELEGRAM.limited(per_second=30, per_minute=2)
    before = utcnow()
    claims = await answer(
        db,
        ("111", False),
        ("-5", True),
        ("-5", True),
        ("-5", True),
        ("222", False),
        limits=limits,
    )
    private, group, group_again, group_third, other = claims
    assert private.row.next_attempt_at >= before
    # the group's window has room for two, the bot's for thirty: they all go at once
    assert group.row.next_attempt_at == private.row.next_attempt_at
    assert group_again.row.next_attempt_at == other.row.next_attempt_at == group.row.next_attempt_at
    # the third waits for the window (a minute and the margin), without holding the bot's slot
    opens = group.row.next_attempt_at + WINDOW + WINDOW_MARGIN
    assert group_third.row.next_attempt_at == opens
    assert [c.has_bot_slot for c in claims] == [True, True, True, False, True]
    stored = {row.id: row for row in await rows(db)}
    assert [stored[c.row.id].next_attempt_at for c in claims] == [
        c.row.next_attempt_at for c in claims
    ]
    assert {row.status for row in stored.values()} == {"sending"}


@pytest.mark.skipif(not ON_POSTGRES, reason="row locks between processes are PostgreSQL's")
@pytest.mark.parametrize("existing", [True, False], ids=["existing slot", "new slot"])
async def test_a_locked_slot_makes_the_next_planner_wait_for_its_commit(db, existing):
    now = utcnow()
    key = "telegram:chat:-42"
    if existing:
        async with db() as session:
            await Slots().lock(session, {key: now})
            await session.commit()
    async with db() as first, db() as second:
        mine, theirs = Slots(), Slots()
        await mine.lock(first, {key: now})
        assert mine.free == {key: now}
        waiting = asyncio.create_task(theirs.lock(second, {key: now}))
        await asyncio.sleep(0.3)
        assert not waiting.done()  # queued behind the first planner's lock
        mine.free[key] = now + timedelta(seconds=3)
        await mine.write(first)
        await first.commit()
        await asyncio.wait_for(waiting, 5)
        assert theirs.free == {key: now + timedelta(seconds=3)}
