"""The sender: every stored message is sent once, within the channel's limits, whatever fails."""

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, update
from sqlmodel import select

from bot.core.channel import TELEGRAM, SendError, SendFailure
from bot.core.replies import Attachment, Reply
from config import Settings
from db.models import ChatGroup, Identity, Media, Outbox, Person, RateSlot, Unit
from db.outbox import INTERACTIVE, JOB
from db.rate_slots import bot_window
from scheduler.liveness import STALE
from scheduler.sender import Sender
from tests.fakes.outbox import FakeChannel, FakeClock, answer, put, rows
from tests.helpers import ON_POSTGRES


def make_sender(
    channel: FakeChannel, clock: FakeClock, *, rate=30.0, group=20.0, attempts=5
) -> Sender:
    """A sender on the fake clock, through `channel` with these limits."""
    channel.capabilities = TELEGRAM.limited(per_second=rate, per_minute=group)
    settings = Settings(send_max_attempts=attempts)
    return Sender({"telegram": channel}, settings=settings, clock=clock, sleep=clock.sleep)


async def test_enqueue_then_deliver_sends_once(db):
    clock = FakeClock()
    channel = FakeChannel(clock)
    row_id = await put(db, "111", "xin chào")
    sender = make_sender(channel, clock)

    await sender.deliver([row_id])
    await sender.deliver([row_id])

    assert channel.sent == [(clock.at(0), "111", "xin chào", {})]
    [row] = await rows(db)
    assert (row.id, row.status, row.sent_at, row.attempts, row.last_error) == (
        row_id,
        "sent",
        clock.at(0),
        1,
        None,
    )
    assert Reply.from_payload(row.payload) == Reply(text="xin chào")
    assert await sender.run_once() == 0
    assert len(channel.calls) == 1


async def test_run_once_after_everything_is_sent_sends_nothing(db):
    clock = FakeClock()
    channel = FakeChannel(clock)
    for number in range(3):
        await put(db, f"{number}", f"m{number}")
    sender = make_sender(channel, clock)

    assert await sender.run_once() == 3
    assert await sender.run_once() == 0
    assert await sender.run_once() == 0
    assert [text for _, _, text, _ in channel.sent] == ["m0", "m1", "m2"]
    assert [row.status for row in await rows(db)] == ["sent", "sent", "sent"]


async def test_crash_after_commit_before_delivery_sends_exactly_once(db):
    clock = FakeClock()
    await put(db, "111", "after crash")  # the process that committed this died before deliver()
    channel = FakeChannel(clock)

    restarted = make_sender(channel, clock)
    assert await restarted.run_once() == 1
    assert await restarted.run_once() == 0
    assert await make_sender(channel, clock).run_once() == 0
    assert channel.sent == [(clock.at(0), "111", "after crash", {})]


async def test_row_left_sending_by_a_dead_process_is_retried_after_the_stale_window(db):
    clock = FakeClock()
    row_id = await put(db, "111", "stuck")
    async with db() as session:
        await session.exec(
            update(Outbox)
            .where(Outbox.id == row_id)
            .values(status="sending", next_attempt_at=clock())
        )
        await session.commit()
    channel = FakeChannel(clock)
    sender = make_sender(channel, clock)

    assert await sender.run_once() == 0
    clock.advance(300)
    assert await sender.run_once() == 0
    assert [row.status for row in await rows(db)] == ["sending"]
    clock.advance(1)
    assert await sender.run_once() == 1
    assert await sender.run_once() == 0
    assert channel.sent == [(clock.at(301), "111", "stuck", {})]
    [row] = await rows(db)
    assert (row.status, row.attempts) == ("sent", 1)


async def test_throttled_waits_retry_after_and_sends_once_while_other_chats_go_on(db):
    """Telegram's 429 for one chat (about one message a second in private) holds that chat's
    message for retry_after; messages to other chats are not held up."""
    clock = FakeClock()
    channel = FakeChannel(clock, errors=[SendError(SendFailure.THROTTLED, "429", retry_after=3)])
    await put(db, "111", "later")
    sender = make_sender(channel, clock)

    assert await sender.run_once() == 1
    [row] = await rows(db)
    assert (row.status, row.attempts, row.next_attempt_at, row.last_error) == (
        "pending",
        1,
        clock.at(3),
        "throttled: 429",
    )
    await put(db, "222", "meanwhile")
    assert await sender.run_once() == 1  # another chat: at once
    assert channel.sent[0][1:3] == ("222", "meanwhile") and channel.sent[0][0] < clock.at(1)

    clock.advance(2)
    assert await sender.run_once() == 0
    clock.advance(1)
    assert await sender.run_once() == 1
    assert await sender.run_once() == 0
    assert [(chat, text) for _, chat, text, _ in channel.sent] == [
        ("222", "meanwhile"),
        ("111", "later"),
    ]
    assert clock.at(3) <= channel.sent[1][0] < clock.at(3) + timedelta(seconds=0.1)
    [row, _] = await rows(db)
    assert (row.status, row.attempts, row.sent_at) == ("sent", 2, channel.sent[1][0])


@pytest.mark.parametrize("chat_id, is_group", [("-5", True), ("111", False)])
async def test_a_chats_429_holds_that_chat_only(db, chat_id, is_group):
    """A group's or a private chat's later messages are planned after retry_after; the bot's
    slot is not held."""
    clock = FakeClock()
    channel = FakeChannel(clock, errors=[SendError(SendFailure.THROTTLED, "429", retry_after=30)])
    await put(db, chat_id, "to the chat", is_group=is_group)
    sender = make_sender(channel, clock)
    assert await sender.run_once() == 1
    async with db() as session:
        chat = await session.get(RateSlot, f"telegram:chat:{chat_id}")
        bot = await session.get(RateSlot, "telegram:bot")
    assert chat.next_free_at == clock.at(30)
    assert bot.next_free_at < clock.at(1)


async def test_throttled_gives_up_after_three_times_max_attempts(db):
    clock = FakeClock()
    always = SendError(SendFailure.THROTTLED, "429", retry_after=1)
    channel = FakeChannel(clock, always=always)
    await put(db, "111", "never")
    sender = make_sender(channel, clock, attempts=2)

    for _ in range(6):
        assert await sender.run_once() == 1
        clock.advance(1)
    assert await sender.run_once() == 0
    [row] = await rows(db)
    assert (row.status, row.attempts, len(channel.calls)) == ("failed", 6, 6)


async def test_retryable_twice_then_success(db):
    clock = FakeClock()
    errors = [SendError(SendFailure.RETRYABLE, "502"), SendError(SendFailure.RETRYABLE, "timeout")]
    channel = FakeChannel(clock, errors=errors)
    await put(db, "111", "retry me")
    sender = make_sender(channel, clock)

    assert await sender.run_once() == 1
    [row] = await rows(db)
    assert (row.status, row.attempts, row.next_attempt_at) == ("pending", 1, clock.at(1))
    clock.advance(1)
    assert await sender.run_once() == 1
    [row] = await rows(db)
    assert (row.attempts, row.next_attempt_at, row.last_error) == (
        2,
        clock.at(3),
        "retryable: timeout",
    )
    assert await sender.run_once() == 0
    clock.advance(2)
    assert await sender.run_once() == 1
    assert await sender.run_once() == 0

    assert [when for when, _, _ in channel.calls] == [clock.at(0), clock.at(1), clock.at(3)]
    assert channel.sent == [(clock.at(3), "111", "retry me", {})]
    [row] = await rows(db)
    assert (row.status, row.attempts, row.sent_at, row.last_error) == (
        "sent",
        3,
        clock.at(3),
        "retryable: timeout",  # kept: why it took three tries
    )


async def test_retryable_forever_fails_after_max_attempts_with_capped_backoff(db):
    clock = FakeClock()
    channel = FakeChannel(clock, always=SendError(SendFailure.RETRYABLE, "503"))
    await put(db, "111", "doomed")
    sender = make_sender(channel, clock, attempts=8)

    waits = []
    for _ in range(8):
        assert await sender.run_once() == 1
        [row] = await rows(db)
        if row.status == "pending":
            waits.append((row.next_attempt_at - clock()).total_seconds())
            clock.now = row.next_attempt_at
    clock.advance(3600)
    assert await sender.run_once() == 0

    assert waits == [1, 2, 4, 8, 16, 32, 60]
    [row] = await rows(db)
    assert (row.status, row.attempts, row.last_error, row.sent_at) == (
        "failed",
        8,
        "retryable: 503",
        None,
    )
    assert len(channel.calls) == 8
    assert channel.sent == []


async def test_other_exceptions_count_as_retryable(db):
    clock = FakeClock()
    channel = FakeChannel(clock, errors=[RuntimeError("boom")])
    await put(db, "111", "bug")
    sender = make_sender(channel, clock)

    assert await sender.run_once() == 1
    [row] = await rows(db)
    assert (row.status, row.attempts, row.next_attempt_at, row.last_error) == (
        "pending",
        1,
        clock.at(1),
        "retryable: RuntimeError('boom')",
    )
    clock.advance(1)
    assert await sender.run_once() == 1
    assert channel.sent == [(clock.at(1), "111", "bug", {})]


async def test_failed_is_not_retried(db):
    clock = FakeClock()
    channel = FakeChannel(clock, errors=[SendError(SendFailure.FAILED, "400 bad request")])
    await put(db, "111", "bad")
    sender = make_sender(channel, clock)

    assert await sender.run_once() == 1
    clock.advance(3600)
    assert await sender.run_once() == 0
    [row] = await rows(db)
    assert (row.status, row.attempts, row.last_error) == ("failed", 1, "failed: 400 bad request")
    assert len(channel.calls) == 1


async def add_person(db, user_id: str) -> None:
    async with db() as session:
        person = Person(display_name=f"Người {user_id}")
        session.add(person)
        await session.flush()
        session.add(Identity(person_id=person.id, platform="telegram", user_id=user_id))
        await session.commit()


async def add_group(db, chat_id: str) -> None:
    async with db() as session:
        unit = Unit(code=f"U{chat_id}", level="commune", name="Xã Tân Phú", path=f"/U{chat_id}/")
        session.add(unit)
        await session.flush()
        session.add(ChatGroup(platform="telegram", chat_id=chat_id, unit_id=unit.id))
        await session.commit()


async def unreachable_at(db, model, **match):
    async with db() as session:
        query = select(model.unreachable_at).filter_by(platform="telegram", **match)
        return (await session.exec(query)).one()


async def test_unreachable_private_chat_marks_identity_and_stops_sending(db):
    clock = FakeClock()
    await add_person(db, "111")
    await add_person(db, "222")
    channel = FakeChannel(clock, errors=[SendError(SendFailure.UNREACHABLE, "blocked by user")])
    await put(db, "111", "one")
    await put(db, "111", "two")
    await put(db, "222", "other")
    sender = make_sender(channel, clock)

    assert await sender.run_once() == 3
    later = await put(db, "111", "later")
    await sender.deliver([later])
    assert await sender.run_once() == 0

    assert await unreachable_at(db, Identity, user_id="111") == clock.at(0)
    assert await unreachable_at(db, Identity, user_id="222") is None
    assert [(chat, text) for _, chat, text in channel.calls] == [("111", "one"), ("222", "other")]
    assert [(row.status, row.attempts, row.last_error) for row in await rows(db)] == [
        ("unreachable", 1, "unreachable: blocked by user"),
        ("unreachable", 0, "destination unreachable"),
        ("sent", 1, None),
        ("unreachable", 0, "destination unreachable"),
    ]


async def test_unreachable_group_marks_chat_group(db):
    clock = FakeClock()
    await add_group(db, "-100")
    await add_group(db, "-200")
    await add_person(db, "-100")  # a private identity with the same id must stay untouched
    channel = FakeChannel(clock, errors=[SendError(SendFailure.UNREACHABLE, "bot was kicked")])
    first = await put(db, "-100", "one", is_group=True, priority=JOB)
    sender = make_sender(channel, clock)

    await sender.deliver([first])
    await put(db, "-100", "two", is_group=True, priority=JOB)
    await put(db, "-200", "elsewhere", is_group=True, priority=JOB)
    assert await sender.run_once() == 2

    assert await unreachable_at(db, ChatGroup, chat_id="-100") == clock.at(0)
    assert await unreachable_at(db, ChatGroup, chat_id="-200") is None
    assert await unreachable_at(db, Identity, user_id="-100") is None
    assert [(chat, text) for _, chat, text in channel.calls] == [
        ("-100", "one"),
        ("-200", "elsewhere"),
    ]
    assert [row.status for row in await rows(db)] == ["unreachable", "unreachable", "sent"]


def most_in_a_minute(times: list[datetime]) -> int:
    """The most sends any 60 s window holds, as the platform counts them."""
    times = sorted(times)
    return max(
        (
            sum(1 for t in times[k:] if t < start + timedelta(seconds=60))
            for k, start in enumerate(times)
        ),
        default=0,
    )


def sent_times(channel: FakeChannel, chat: str) -> list[datetime]:
    return [when for when, to, _, _ in channel.sent if to == chat]


async def test_a_quiet_group_gets_a_burst_at_once_and_waits_only_once_its_window_is_full(db):
    clock = FakeClock()
    channel = FakeChannel(clock)
    for number in range(25):
        await put(db, "-100", f"g{number}", is_group=True, priority=JOB)
    sender = make_sender(channel, clock, group=20)

    assert await sender.run_once(limit=100) == 25
    assert sent_times(channel, "-100") == [clock.at(0)] * 20  # the bot's second has room
    waiting = [row for row in await rows(db) if row.status == "pending"]
    assert [row.payload["text"] for row in waiting] == [f"g{k}" for k in range(20, 25)]
    assert {row.next_attempt_at for row in waiting} == {clock.at(61)}  # a minute and the margin

    clock.advance(60)
    assert await sender.run_once(limit=100) == 0  # nothing before the window opens
    clock.advance(1)
    assert await sender.run_once(limit=100) == 5
    assert [text for _, _, text, _ in channel.sent] == [f"g{k}" for k in range(25)]
    assert most_in_a_minute(sent_times(channel, "-100")) == 20
    async with db() as session:
        slot = await session.get(RateSlot, "telegram:chat:-100")
        assert len(slot.recent) == 20


async def test_two_senders_share_a_group_window_through_the_database(db):
    clock = FakeClock()
    channel = FakeChannel(clock)
    for number in range(30):
        await put(db, "-100", f"g{number}", is_group=True, priority=JOB)
    first, second = make_sender(channel, clock, group=20), make_sender(channel, clock, group=20)

    await asyncio.gather(first.run_once(limit=15), second.run_once(limit=15))
    assert len(channel.sent) == 20
    clock.advance(61)
    await asyncio.gather(first.run_once(limit=15), second.run_once(limit=15))

    assert sorted(text for _, _, text, _ in channel.sent) == sorted(f"g{k}" for k in range(30))
    assert most_in_a_minute(sent_times(channel, "-100")) == 20


async def test_when_a_full_window_opens_replies_go_before_scheduled_posts(db):
    clock = FakeClock()
    channel = FakeChannel(clock)
    for number in range(22):
        await put(db, "-100", f"job {number}", is_group=True, priority=JOB)
    sender = make_sender(channel, clock, group=20)
    assert await sender.run_once(limit=100) == 22  # 20 sent, 2 wait for the window
    note = await put(db, "-100", "a note", is_group=True, priority=INTERACTIVE)
    [answered] = await answer(db, ("-100", True), limits=channel.capabilities)
    assert not answered.has_bot_slot  # planned for when the window opens

    clock.advance(61)
    await sender.send_claims([answered])
    assert await sender.run_once(limit=100) == 3
    after = [text for when, _, text, _ in channel.sent if when >= clock.at(61)]
    assert after == ["đã ghi nhận", "a note", "job 20", "job 21"]  # the note was stored last
    assert [row.status for row in await rows(db) if row.id == note] == ["sent"]
    assert most_in_a_minute(sent_times(channel, "-100")) == 20


def most_in_a_second(times: list[datetime]) -> int:
    times = sorted(times)
    return max(
        sum(1 for t in times[k:] if t < start + timedelta(seconds=1))
        for k, start in enumerate(times)
    )


async def test_bot_messages_go_at_once_until_a_second_holds_the_bot_limit(db):
    clock = FakeClock()
    channel = FakeChannel(clock)
    for number in range(70):
        await put(db, f"{1000 + number}", f"p{number}")
    sender = make_sender(channel, clock, rate=30)

    assert await sender.run_once(limit=100) == 70
    times = [when for when, _, _, _ in channel.sent]
    assert times[:30] == [clock.at(0)] * 30  # a quiet bot: at once
    assert times[30:60] == [times[30]] * 30 and times[30] - clock.at(0) >= timedelta(seconds=1)
    assert most_in_a_second(times) == 30
    assert [text for _, _, text, _ in channel.sent] == [f"p{k}" for k in range(70)]


async def test_an_answer_is_left_to_its_process_and_recovered_if_it_never_comes(db):
    clock = FakeClock()
    channel = FakeChannel(clock)
    sender = make_sender(channel, clock)
    answered, _ = await answer(db, ("111", False), ("222", False), limits=channel.capabilities)

    assert await sender.run_once() == 0  # pollers never take a claimed row
    await sender.send_claims([answered])  # the process of "222" died before sending it
    assert [chat for _, chat, _, _ in channel.sent] == ["111"]

    clock.advance(STALE.total_seconds() + 1)
    assert await sender.run_once() == 1
    assert [chat for _, chat, _, _ in channel.sent] == ["111", "222"]
    assert [row.status for row in await rows(db)] == ["sent", "sent"]


async def sent_count(channel: FakeChannel, count: int) -> None:
    """Wait (in real time) until the channel has sent `count` messages."""
    async with asyncio.timeout(5):
        while len(channel.sent) < count:
            await asyncio.sleep(0.01)


async def test_scheduled_answers_go_at_their_planned_times_each_chat_in_order(db):
    channel = FakeChannel(rate=20.0, group=600.0)  # the real clock: the schedule waits
    sender = Sender({"telegram": channel}, concurrency=16)
    claims = await answer(
        db, ("111", False), ("-5", True), ("-5", True), ("222", False), limits=channel.capabilities
    )
    sender.schedule(claims[:2])
    sender.schedule(claims[2:])  # the group's window has room: its second answer goes next

    await sent_count(channel, 4)  # all at once: the bot's second and the group's minute have room
    assert sorted(chat for _, chat, _, _ in channel.sent) == ["-5", "-5", "111", "222"]
    planned = {claim.row.id: claim.row.next_attempt_at for claim in claims}
    sent_at = [when for when, _, _, _ in channel.sent]
    assert all(when >= at for when, at in zip(sent_at, sorted(planned.values()), strict=True))
    await sender.finish()  # records the sends
    assert [row.status for row in await rows(db)] == ["sent"] * 4


async def test_an_answer_scheduled_after_a_later_one_does_not_wait_for_it(db):
    channel = FakeChannel(rate=0.5)  # answers planned 2 s apart
    sender = Sender({"telegram": channel}, concurrency=16)
    first, second = await answer(db, ("111", False), ("222", False), limits=channel.capabilities)
    sender.schedule([second])
    await asyncio.sleep(0.05)  # the schedule now waits ~1.5 s for it
    sender.schedule([first])

    await sent_count(channel, 1)
    assert channel.sent[0][0] - first.row.next_attempt_at < timedelta(seconds=1)
    await sender.finish()


async def test_a_scheduled_send_that_raises_is_logged_and_its_row_handed_back(db, caplog):
    """The database is down when a failed send is recorded: the row is handed back to pending at
    the next beat once it is up, not left `sending`."""
    error = SendError(SendFailure.RETRYABLE, "502 Bad Gateway")
    channel = FakeChannel(errors=[error], rate=1000.0)
    [claim] = await answer(db, ("111", False), limits=channel.capabilities)
    down = True

    @contextlib.asynccontextmanager
    async def database():
        if down:
            raise ConnectionError("database down")
        async with db() as session:
            yield session

    sender = Sender({"telegram": channel}, session_factory=database, concurrency=16)
    with caplog.at_level(logging.ERROR, logger="scheduler.dispatch"):
        sender.schedule([claim])  # the 502 cannot be recorded: the send's task raises
        async with asyncio.timeout(5):
            while not caplog.records:
                await asyncio.sleep(0.01)
    assert caplog.records[0].getMessage() == "outbox: a send to telegram:111 failed"
    assert [row.status for row in await rows(db)] == ["sending"]
    with pytest.raises(ConnectionError):
        await sender.beat()
    down = False
    await sender.beat()
    assert [row.status for row in await rows(db)] == ["pending"]
    assert await sender.run_once() == 1
    assert [row.status for row in await rows(db)] == ["sent"]


async def test_on_shutdown_scheduled_answers_go_back_to_the_outbox_and_are_sent_once(db):
    channel = FakeChannel(rate=0.5)  # answers planned 2 s apart
    sender = Sender({"telegram": channel}, concurrency=16)
    claims = await answer(
        db, ("111", False), ("222", False), ("333", False), limits=channel.capabilities
    )
    sender.schedule(claims)
    await sent_count(channel, 1)

    await sender.finish()
    assert [row.status for row in await rows(db)] == ["sent", "pending", "pending"]

    clock = FakeClock()  # a minute on: the restart need not wait in real time for any slot
    after_restart = Sender({"telegram": channel}, clock=clock, sleep=clock.sleep)
    assert await after_restart.run_once() == 2  # taken now, not after STALE
    assert [chat for _, chat, _, _ in channel.sent] == ["111", "222", "333"]
    assert [row.status for row in await rows(db)] == ["sent"] * 3


async def bot_slot(db) -> datetime:
    async with db() as session:
        return (await session.get(RateSlot, "telegram:bot")).next_free_at


async def test_on_shutdown_the_bot_slot_goes_back_to_the_first_released_answer(db):
    """Released answers give their places back, so after a restart nothing waits behind them."""
    channel = FakeChannel(rate=0.5)  # answers planned 2 s apart
    sender = Sender({"telegram": channel}, concurrency=16)
    first, second, third = await answer(
        db, ("111", False), ("222", False), ("333", False), limits=channel.capabilities
    )
    window = bot_window(timedelta(seconds=2)).span  # one send in it
    assert (second.row.next_attempt_at, await bot_slot(db)) == (
        first.row.next_attempt_at + window,
        third.row.next_attempt_at + window,
    )
    sender.schedule([first, second, third])
    await sent_count(channel, 1)

    await sender.finish()
    assert await bot_slot(db) == second.row.next_attempt_at


async def test_on_shutdown_a_reservation_made_since_by_another_sender_is_kept(db):
    channel = FakeChannel(rate=0.5)
    sender = Sender({"telegram": channel}, concurrency=16)
    *ours, other = await answer(
        db, ("111", False), ("222", False), ("999", False), limits=channel.capabilities
    )
    sender.schedule(ours)  # `other` stands for an answer another process planned after ours
    await sent_count(channel, 1)

    await sender.finish()
    window = bot_window(timedelta(seconds=2)).span
    assert await bot_slot(db) == other.row.next_attempt_at + window


async def test_no_second_holds_more_than_the_limit_whenever_the_platform_counts_a_call(db):
    """The platform counts a call somewhere between our start and its answer: a call starts only
    once the call `limit` places back was answered a second ago, even when answers are slow."""

    class SlowChannel(FakeChannel):
        async def send(self, chat_id, reply, media):
            await super().send(chat_id, reply, media)
            self.clock.advance(0.3)  # the answer comes 0.3 s after the call
            self.answers.append(self.clock())

    clock = FakeClock()
    channel = SlowChannel(clock)
    channel.answers = []
    for number in range(8):
        await put(db, f"{1000 + number}", f"p{number}")
    sender = make_sender(channel, clock, rate=2)

    assert await sender.run_once(limit=100) == 8
    starts = [when for when, _, _ in channel.calls]
    for k in range(len(starts) - 2):
        assert starts[k + 2] >= channel.answers[k] + timedelta(seconds=1)
    # two in a second (the second once the first is answered here), then two a second after
    # their answers, not after their starts
    assert starts[:4] == [clock.at(0), clock.at(0.3), clock.at(1.3), clock.at(1.6)]


async def test_interactive_rows_go_before_job_rows(db):
    clock = FakeClock()
    channel = FakeChannel(clock)
    await put(db, "-100", "job 1", is_group=True, priority=JOB)
    await put(db, "-200", "job 2", is_group=True, priority=JOB)
    await put(db, "111", "reply 1", priority=INTERACTIVE)
    await put(db, "222", "reply 2", priority=INTERACTIVE)
    sender = make_sender(channel, clock)

    assert await sender.run_once(limit=3) == 3
    assert await sender.run_once() == 1
    assert [text for _, _, text, _ in channel.sent] == ["reply 1", "reply 2", "job 1", "job 2"]


async def test_attachments_are_loaded_from_media(db):
    clock = FakeClock()
    channel = FakeChannel(clock)
    async with db() as session:
        session.add(
            Media(
                id="chart1",
                content_type="image/png",
                filename="chart.png",
                data=b"\x89PNG-bytes",
                expires_at=clock.at(86400),
            )
        )
        await session.commit()
    image = Attachment(media_id="chart1", filename="chart.png", content_type="image/png")
    lost = Attachment(media_id="gone", filename="x.xlsx", content_type="application/vnd.ms-excel")
    good = await put(db, "111", reply=Reply(text="chart", image=image))
    bad = await put(db, "111", reply=Reply(text="file", document=lost))
    sender = make_sender(channel, clock)

    await sender.deliver([good, bad])

    assert channel.sent == [(clock.at(0), "111", "chart", {"chart1": b"\x89PNG-bytes"})]
    assert [(row.status, row.last_error) for row in await rows(db)] == [
        ("sent", None),
        ("failed", "failed: media missing: gone"),
    ]


async def test_platform_without_channel_stays_pending_and_warns_once(db, caplog):
    clock = FakeClock()
    channel = FakeChannel(clock)
    zalo = await put(db, "z1", "for zalo", platform="zalo")
    sender = make_sender(channel, clock)

    with caplog.at_level(logging.WARNING, logger="scheduler.sender"):
        await sender.deliver([zalo])
        assert await sender.run_once() == 0
        assert await sender.run_once() == 0

    assert [record.getMessage() for record in caplog.records] == [
        "outbox: no channel for zalo; its messages stay pending"
    ]
    [row] = await rows(db)
    assert (row.status, row.attempts) == ("pending", 0)
    assert channel.calls == []


async def test_run_forever_sends_and_stops(db):
    channel = FakeChannel(rate=1000.0)
    sender = Sender({"telegram": channel})
    stop = asyncio.Event()
    task = asyncio.create_task(sender.run_forever(stop, idle_seconds=0.01))
    await put(db, "111", "polled")
    await sent_count(channel, 1)
    stop.set()
    await asyncio.wait_for(task, 5)

    assert [(chat, text) for _, chat, text, _ in channel.sent] == [("111", "polled")]
    assert [row.status for row in await rows(db)] == ["sent"]


@pytest.mark.skipif(
    not ON_POSTGRES,
    reason="claiming across processes uses FOR UPDATE SKIP LOCKED; SQLite assumes one sender process",
)
async def test_two_senders_send_each_row_exactly_once(db):
    for number in range(200):
        await put(db, f"{5000 + number}", f"m{number}", priority=JOB)
    channels = [FakeChannel(rate=1_000_000.0), FakeChannel(rate=1_000_000.0)]
    senders = [Sender({"telegram": channel}) for channel in channels]

    counts = await asyncio.gather(*(sender.run_once(limit=500) for sender in senders))

    texts = sorted(text for channel in channels for _, _, text, _ in channel.sent)
    assert sum(counts) == 200
    assert all(counts)  # both senders really took part
    assert texts == sorted(f"m{number}" for number in range(200))
    assert [len(channel.sent) for channel in channels] == counts
    async with db() as session:
        statuses = (
            await session.exec(select(Outbox.status, func.count()).group_by(Outbox.status))
        ).all()
    assert statuses == [("sent", 200)]


class GatedChannel(FakeChannel):
    """Holds every send until `width` sends are in flight at once, and records the most seen."""

    def __init__(self, width: int) -> None:
        super().__init__(rate=1_000_000.0)
        self.width, self.in_flight, self.most = width, 0, 0
        self.gate = asyncio.Event()

    async def send(self, chat_id: str, reply: Reply, media: dict[str, bytes]) -> None:
        self.in_flight += 1
        self.most = max(self.most, self.in_flight)
        if self.in_flight >= self.width:
            self.gate.set()
        try:
            await asyncio.wait_for(self.gate.wait(), 5)
            await super().send(chat_id, reply, media)
        finally:
            self.in_flight -= 1


async def test_concurrent_sends_keep_within_their_bound_and_send_each_row_once(db):
    for number in range(40):
        await put(db, f"{7000 + number}", f"c{number}", priority=JOB)
    channel = GatedChannel(width=4)
    sender = Sender({"telegram": channel}, concurrency=4)

    assert await sender.run_once(limit=100) == 40
    assert await sender.run_once(limit=100) == 0

    assert channel.most == 4
    assert sorted(text for _, _, text, _ in channel.sent) == sorted(f"c{n}" for n in range(40))
    assert [row.status for row in await rows(db)] == ["sent"] * 40


class SlowFirstChannel(FakeChannel):
    """The first message takes longer than the rest, as a photo upload would."""

    async def send(self, chat_id: str, reply: Reply, media: dict[str, bytes]) -> None:
        if reply.text.endswith("1"):
            await asyncio.sleep(0.05)
        await super().send(chat_id, reply, media)


async def test_concurrent_sends_keep_each_chats_order(db):
    for text in ("a1", "b1", "a2", "b2", "a3"):
        await put(db, "111" if text[0] == "a" else "222", text, priority=JOB)
    channel = SlowFirstChannel(rate=1_000_000.0)
    sender = Sender({"telegram": channel}, concurrency=4)

    assert await sender.run_once() == 5

    assert [text for _, chat, text, _ in channel.sent if chat == "111"] == ["a1", "a2", "a3"]
    assert [text for _, chat, text, _ in channel.sent if chat == "222"] == ["b1", "b2"]
