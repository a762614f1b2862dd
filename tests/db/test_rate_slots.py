"""Per-chat pacing of private chats: a short burst at once, then one a gap, without holding the
bot's slot for the other chats; the slot is a row, so it holds from one transaction to the next."""

from datetime import timedelta

import pytest

from bot.core.channel import TELEGRAM
from bot.core.replies import Reply
from db.models import RateSlot, utcnow
from db.outbox import Message
from db.rate_slots import CHAT_BURST, bot_window, chat_slot, hold_slot, plan_sends

BOT_GAP = timedelta(seconds=1 / 30)
SECOND = timedelta(seconds=1)


def to(*chats: str) -> list[Message]:
    return [Message("telegram", chat, Reply("đã ghi nhận"), False) for chat in chats]


async def plan(db, messages, now, *, limits=TELEGRAM, defer_full=False):
    async with db() as session:
        plans = await plan_sends(
            session, messages, rates={"telegram": limits.rates}, now=now, defer_full=defer_full
        )
        await session.commit()
    return plans


async def test_a_flood_to_one_chat_does_not_hold_back_another_chats_answer(db):
    now = utcnow()
    plans = await plan(db, to(*["111"] * 30, "222"), now)
    flood, other = plans[:30], plans[30]
    # a burst of five and the other chat's answer go at once: the bot's second has room
    assert [p.at for p in flood[:CHAT_BURST]] == [now] * CHAT_BURST
    assert (other.at, other.has_bot_slot) == (now, True)
    assert all(p.has_bot_slot for p in flood[:CHAT_BURST])
    # the rest of the flood one a second, in order, each taking its bot slot when its time comes
    rest = flood[CHAT_BURST:]
    assert [p.at for p in rest] == [now + n * SECOND for n in range(1, len(rest) + 1)]
    assert not any(p.has_bot_slot or p.deferred for p in rest)


async def test_the_slot_holds_from_one_transaction_to_the_next(db):
    now = utcnow()
    first = await plan(db, to(*["111"] * 7), now)
    assert [p.at for p in first[CHAT_BURST:]] == [now + SECOND, now + 2 * SECOND]

    later = now + timedelta(milliseconds=500)
    second = await plan(db, to("111", "111", "222"), later)
    assert [(p.at, p.has_bot_slot) for p in second[:2]] == [
        (now + 3 * SECOND, False),
        (now + 4 * SECOND, False),
    ]
    assert (second[2].at, second[2].has_bot_slot) == (later, True)  # another chat: at once
    async with db() as session:
        slot = await session.get(RateSlot, chat_slot("telegram", "111"))
    assert slot.next_free_at == now + 5 * SECOND  # when the chat's next message may go


async def test_a_quiet_chat_gets_its_burst_back(db):
    now = utcnow()
    await plan(db, to(*["111"] * 8), now)
    quiet = now + 20 * SECOND
    plans = await plan(db, to(*["111"] * 6), quiet)
    assert [p.has_bot_slot for p in plans] == [True] * CHAT_BURST + [False]
    assert plans[CHAT_BURST - 1].at == quiet
    assert plans[CHAT_BURST].at == quiet + SECOND


async def test_the_senders_claim_defers_what_the_chat_has_no_room_for(db):
    """The background sender leaves a row pending until its chat has room, so interactive
    answers planned meanwhile go first, as for a full group."""
    now = utcnow()
    plans = await plan(db, to(*["111"] * 7), now, defer_full=True)
    assert [p.deferred for p in plans] == [False] * CHAT_BURST + [True, True]
    assert plans[CHAT_BURST].at == plans[CHAT_BURST + 1].at == now + SECOND
    # a deferred row took no place: the next planner gets the same time
    again = await plan(db, to("111"), now + timedelta(milliseconds=10))
    assert (again[0].at, again[0].has_bot_slot) == (now + SECOND, False)


async def test_no_per_chat_limit_plans_by_the_bot_slot_alone(db):
    now = utcnow()
    unlimited = TELEGRAM.limited(per_second=None, per_minute=None, per_chat=0)
    plans = await plan(db, to(*["111"] * 8), now, limits=unlimited)
    assert [p.at for p in plans] == [now] * 8
    assert all(p.has_bot_slot for p in plans)
    async with db() as session:
        assert await session.get(RateSlot, chat_slot("telegram", "111")) is None


async def test_a_busy_bot_slot_still_keeps_one_chats_order(db):
    """Messages with room wait for the bot's backlog; the ones after them never go before."""
    now = utcnow()
    await plan(db, to(*[str(n) for n in range(90)]), now)  # three seconds of the bot's window
    plans = await plan(db, to(*["111"] * 7), now)
    times = [p.at for p in plans]
    assert times == sorted(times)
    assert times[0] == now + 3 * bot_window(BOT_GAP).span
    assert [p.has_bot_slot for p in plans] == [True] * CHAT_BURST + [False, False]
    assert times[CHAT_BURST + 1] - times[CHAT_BURST] == SECOND


async def test_no_second_of_the_bot_is_planned_past_its_limit(db):
    """Answers planned by many transactions, at any pace: no window of the bot holds more
    than its limit, and each goes as soon as its window has room."""
    now = utcnow()
    times, waits = [], []
    for k in range(40):
        at = now + timedelta(milliseconds=37 * k)
        plans = await plan(db, to(*[f"c{k}-{n}" for n in range(k % 4)]), at)
        times += [p.at for p in plans]
        waits += [p.at - at for p in plans]
    window = bot_window(BOT_GAP).span
    assert max(sum(1 for t in times if start <= t < start + window) for start in times) == 30
    assert waits[:30] == [timedelta(0)] * 30  # while the window has room: at once
    assert all(wait > timedelta(0) for wait in waits[30:36])  # then only when it opens


@pytest.mark.parametrize("is_group", [False, True], ids=["private chat", "group"])
async def test_a_chat_held_by_a_429_waits_and_the_others_do_not(db, is_group):
    """The sender holds a chat's slot for the platform's retry_after (`hold_slot`): that chat's
    next messages wait for it, even when its burst or window has room, and a deferred claim
    keeps the hold; other chats go at once."""
    now = utcnow()
    key = chat_slot("telegram", "-5" if is_group else "111")
    async with db() as session:
        await hold_slot(session, key, now + 30 * SECOND, now)
        await session.commit()
    chat = Message("telegram", key.rsplit(":", 1)[1], Reply("x"), is_group)
    deferred, other = await plan(db, [chat, *to("222")], now, defer_full=True)
    assert (deferred.at, deferred.deferred) == (now + 30 * SECOND, True)
    assert (other.at, other.has_bot_slot) == (now, True)
    [held] = await plan(db, [chat], now + SECOND)
    assert (held.at, held.has_bot_slot) == (now + 30 * SECOND, False)
