"""Batches of events (bot.batch, bot.inbox): one transaction for many events gives what one at a time gives."""

import asyncio
import itertools
from dataclasses import replace

import pytest
from sqlmodel import select

from bot import texts
from bot.batch import Delivery, Item, Unavailable, process_batch
from bot.core import state
from bot.core.channel import TELEGRAM as CAPABILITIES
from bot.core.context import Context
from bot.core.events import ChatKind, Event
from bot.core.replies import Reply
from bot.handlers import COMMANDS
from bot.inbox import Inbox
from bot.reading import process_reading
from config import get_settings
from db.indicators import ensure_default_indicators
from db.models import ChatGroup, Conversation, Identity, Outbox, ProcessedUpdate, Report, Role
from db.session import session_scope
from tests.conftest import _empty_tables
from tests.helpers import ON_POSTGRES, FailingDatabase, invite, seed_commune

GROUP = "-100900"
pytestmark = pytest.mark.usefixtures("fixed_clock")  # the inbox reads the clock
_keys = itertools.count(1)


def event(
    user: str, text: str = "", *, choice: str | None = None, key: str | None = None, group=False
):
    return Event(
        platform="telegram",
        chat_id=GROUP if group else user,
        chat_kind=ChatKind.GROUP if group else ChatKind.PRIVATE,
        user_id=user,
        display_name=f"Người {user}",
        update_key=key or str(next(_keys)),
        text=text,
        choice=choice,
    )


async def fresh_commune() -> None:
    """An empty database with two members of Ấp Tân Hòa on Telegram: users 1 (An) and 2 (Bình)."""
    await _empty_tables(get_settings().effective_database_url)
    async with session_scope() as session:
        await ensure_default_indicators(session)
        await session.commit()
    seed = await seed_commune()
    async with session_scope() as session:
        for user, name in (("1", "Nguyễn Văn An"), ("2", "Trần Thị Bình")):
            person = seed.people[name]
            session.add(Identity(person_id=person.id, platform="telegram", user_id=user))
        await session.commit()
    return seed


async def replies(delivery: Delivery) -> list[str]:
    """The texts of an event's stored replies: its answers, then any to other chats."""
    ids = [claim.row.id for claim in delivery.answers] + delivery.others
    async with session_scope() as session:
        rows = (await session.exec(select(Outbox).where(Outbox.id.in_(ids)))).all()
    by_id = {row.id: row.payload["text"] for row in rows}
    return [by_id[i] for i in ids]


async def open_flows() -> list[tuple[str, str, str]]:
    async with session_scope() as session:
        rows = (await session.exec(select(Conversation).order_by(Conversation.user_id))).all()
    return [(r.user_id, r.flow, r.step) for r in rows]


async def standing_reports() -> list[tuple[int, str]]:
    async with session_scope() as session:
        rows = (await session.exec(select(Report).order_by(Report.id))).all()
    return [(r.person_id, r.idempotency_key, r.retracted) for r in rows]


def scenario() -> list[Event]:
    """Reports, a guided flow, a retraction, a stranger and a repeated delivery, interleaved."""
    return [
        event("1", "/bc vneid 5 dvc 2", key="a"),
        event("2", "/ghinhan", key="b"),
        event("1", "/bc vneid 3 hom qua", key="c", group=True),
        event("2", choice="day:0", key="d"),
        event("1", "/huy", key="e"),
        event("3", "/bc vneid 1", key="f"),
        event("2", choice="ind:vneid", key="g"),
        event("1", "/bc vneid 5 dvc 2", key="a"),  # Telegram delivered "a" again
        event("2", "7", key="h"),
        event("2", choice="done", key="i"),
        event("2", choice="yes", key="j"),
        event("1", "/toi", key="k"),
        event("2", "/ghinhan", key="l"),  # a flow again, after one ended in this batch
        event("2", choice="day:1", key="m"),
        event("2", "/ghinhan", key="q"),  # ends the open flow and starts one in the same event
        event("2", choice="day:0", key="r"),
        event("1", "/ghinhan", key="n"),
        event("1", "/huy", key="o"),  # ends a flow started in this batch
        event("1", "/ghinhan", key="p"),
    ]


def count_batches(monkeypatch) -> list[int]:
    """The sizes of the batches the inbox runs from now on, reruns of a failed batch included
    (the test's own direct call to process_batch is not counted)."""
    sizes = []

    async def counting(items, *, settings):
        sizes.append(len(items))
        return await process_batch(items, settings=settings)

    monkeypatch.setattr("bot.inbox.process_batch", counting)
    return sizes


async def run(events: list[Event], *, together: bool) -> tuple[list[list[str]], list]:
    settings = get_settings()
    items = [Item(e, CAPABILITIES) for e in events]
    if together:
        ids = await process_batch(items, settings=settings)
    else:
        ids = [(await process_batch([item], settings=settings))[0] for item in items]
    return [await replies(i) for i in ids], await standing_reports(), await open_flows()


async def test_a_batch_answers_and_stores_what_one_at_a_time_does(db, monkeypatch):
    await fresh_commune()
    alone = await run(scenario(), together=False)
    await fresh_commune()
    calls = count_batches(monkeypatch)
    together = await run(scenario(), together=True)
    assert calls == []  # the batch committed whole: no event had to run again alone
    assert together == alone
    answers, reports, flows = together
    assert flows == [("1", "report", "date"), ("2", "report", "indicator")]
    assert answers[7] == []  # the repeat: no second effect, no second answer
    assert texts.NOT_JOINED in answers[5]
    assert (
        "Tổng Ấp Tân Hòa tuần này: VNeID 12, Dịch vụ công 2" in answers[10][0]
    )  # 5 + 7; "c" retracted
    assert [retracted for *_, retracted in reports] == [False, True, False]


async def test_an_edit_in_a_batch_takes_its_old_report_out_of_the_week_total(db):
    """A batch reads the week's totals once and adds each report; an edit reads them again."""
    events = [
        event("1", "/bc vneid 5", key="a"),
        event("2", "/bc vneid 2", key="b"),
        event("2", "/sua", key="c"),
        event("2", choice="ind:vneid", key="d"),
        event("2", "9", key="e"),
        event("2", choice="done", key="f"),
        event("2", choice="yes", key="g"),
        event("1", "/bc dvc 1", key="h"),
    ]
    await fresh_commune()
    alone = await run(events, together=False)
    await fresh_commune()
    together = await run(events, together=True)
    assert together == alone
    answers = together[0]
    assert "Tổng Ấp Tân Hòa tuần này: VNeID 7." in answers[1][0]
    assert "Tổng Ấp Tân Hòa tuần này: VNeID 14." in answers[6][0]  # 5 + 9, not 5 + 2 + 9
    assert "Tổng Ấp Tân Hòa tuần này: VNeID 14, Dịch vụ công 1." in answers[7][0]


async def test_a_batch_checks_each_report_against_its_senders_day_as_it_stands(db):
    """The batch reads its senders' day once; what it stores (written mid-batch for /baocao) or
    retracts keeps that exact, so a double send is asked about wherever its first copy is."""
    batches = [
        [event("1", "/bc vneid 5", key="a"), event("2", "/baocao"), event("1", "/bc vneid 5")],
        [event("2", "/bc dvc 2", key="c")],
        [event("2", "/bc dvc 2", key="d"), event("1", "/bc vneid 6", key="e")],
        [event("1", "/huy", key="f"), event("1", "/bc vneid 6", key="g")],
    ]
    results = []
    for together in (False, True):
        await fresh_commune()
        results.append([await run(batch, together=together) for batch in batches])
    alone, together = results
    assert together == alone
    answers = [reply for batch in together for reply in batch[0]]
    asked = [texts.DOUBT_SAME_ASK in "\n".join(replies) for replies in answers]
    assert asked == [False, False, True, False, True, False, False, False]  # e taken back


async def test_a_summary_in_a_batch_counts_the_reports_saved_before_it(db):
    """The batch's reports are queued; a command outside reporting sees them written first."""
    events = [event("2", "/bc vneid 4", key="a"), event("1", "/baocao", key="b")]
    await fresh_commune()
    alone = await run(events, together=False)
    await fresh_commune()
    together = await run(events, together=True)
    assert together == alone
    assert "VNeID 4" in together[0][1][0]


async def test_what_an_event_changes_is_seen_by_the_next_one_in_its_batch(db):
    """A group link and a join change what the batch read at its start; later events see them."""
    seed = await fresh_commune()
    code = await invite(seed.hamlets[0], Role.MEMBER)
    events = [
        event("1", "/ketnoi", group=True),  # the leader links the group to Ấp Tân Hòa
        event("8", "/thamgia", group=True),  # so this joins Ấp Tân Hòa
        event("8", "/bc vneid 4", group=True),
        event("9", f"/thamgia {code}"),
        event("9", "/bc dvc 3"),
    ]
    ids = await process_batch([Item(e, CAPABILITIES) for e in events], settings=get_settings())
    linked, joined, reported, joined_by_code, reported_too = [await replies(i) for i in ids]
    assert "Ấp Tân Hòa" in linked[0]
    assert "Chào mừng" in joined[0] and "Chào mừng" in joined_by_code[0]
    assert "Tổng Ấp Tân Hòa tuần này: VNeID 4." in reported[0]
    assert "Tổng Ấp Tân Hòa tuần này: VNeID 4, Dịch vụ công 3." in reported_too[0]


async def test_linking_a_linked_group_again_updates_its_one_row(db):
    """The batch reads a linked group as a read-only row; /ketnoi then changes the stored one."""
    await fresh_commune()
    first = replace(event("1", "/ketnoi", group=True), chat_title="Tổ CNS cũ")
    await process_batch([Item(first, CAPABILITIES)], settings=get_settings())
    again = replace(event("1", "/ketnoi", group=True), chat_title="Tổ CNS Ấp Tân Hòa")
    (delivery,) = await process_batch([Item(again, CAPABILITIES)], settings=get_settings())
    assert "Ấp Tân Hòa" in (await replies(delivery))[0]
    async with session_scope() as session:
        groups = (await session.exec(select(ChatGroup))).all()
    assert [(g.chat_id, g.title) for g in groups] == [(GROUP, "Tổ CNS Ấp Tân Hòa")]


async def test_a_failing_event_costs_only_its_own_effects(db, monkeypatch):
    await fresh_commune()

    async def broken(ctx, args):
        raise RuntimeError("a bug in one handler")

    monkeypatch.setitem(COMMANDS, "toi", broken)
    events = [event("1", "/bc vneid 2"), event("2", "/toi"), event("2", "/bc dvc 1")]
    ids = await process_batch([Item(e, CAPABILITIES) for e in events], settings=get_settings())
    first, failed, last = [await replies(i) for i in ids]
    assert "VNeID 2" in first[0] and "Dịch vụ công 1" in last[0]
    assert failed == [texts.ERROR_TRY_AGAIN]
    again = await process_batch([Item(events[1], CAPABILITIES)], settings=get_settings())
    assert again == [Delivery()]  # recorded with its error answer: a repeat does nothing
    assert len(await standing_reports()) == 2


async def test_the_inbox_puts_concurrent_events_in_one_batch(db, monkeypatch):
    await fresh_commune()
    sizes = count_batches(monkeypatch)
    inbox = Inbox(get_settings())
    events = [event(user, f"/bc vneid {n}") for n in range(1, 6) for user in ("1", "2")]
    results = await asyncio.gather(*(inbox.submit(e, CAPABILITIES) for e in events))
    assert sizes == [10]
    assert [len(delivery.answers) for delivery in results] == [1] * 10
    last = (await replies(results[-1]))[0]
    assert "VNeID 30" in last  # 2 × (1 + 2 + 3 + 4 + 5), every report counted once, in order


async def test_summaries_run_in_batches_of_their_own_and_each_senders_events_keep_their_order(
    db, monkeypatch
):
    """A summary reads many reports: it runs in a batch of its own, beside the quick reports, so
    none waits for it in its transaction; a sender's events before and after it keep its place."""
    await fresh_commune()
    batches = []

    async def recording(items, *, settings):
        batches.append([item.event.text for item in items])
        return await process_batch(items, settings=settings)

    async def recording_reads(item, *, settings):
        batches.append([item.event.text])
        return await process_reading(item, settings=settings)

    monkeypatch.setattr("bot.inbox.process_batch", recording)
    monkeypatch.setattr("bot.inbox.process_reading", recording_reads)
    inbox = Inbox(get_settings())
    events = [
        event("1", "/baocao"),
        event("2", "/bc vneid 1"),
        event("1", "/bc vneid 2"),  # after An's /baocao: waits for it
        event("1", "/bangxephang"),
        event("2", "/bc dvc 1"),
    ]
    await asyncio.gather(*(inbox.submit(e, CAPABILITIES) for e in events))
    assert batches == [
        ["/bc vneid 1", "/bc dvc 1"],
        ["/baocao"],
        ["/bc vneid 2"],
        ["/bangxephang"],
    ]


async def test_a_quick_report_is_answered_while_a_summary_is_still_in_the_database(db, monkeypatch):
    """The summary reads on a connection of its own, read-only: the quick batch commits beside
    it, on SQLite too."""
    await fresh_commune()
    gate = asyncio.Event()

    async def slow_summary(ctx, args):
        await ctx.session.exec(select(Report))  # an official's leaderboard, reading
        await gate.wait()  # and still at it
        return [Reply("bảng xếp hạng")]

    monkeypatch.setitem(COMMANDS, "bangxephang", slow_summary)
    inbox = Inbox(get_settings())
    summary = asyncio.ensure_future(inbox.submit(event("1", "/bangxephang"), CAPABILITIES))
    report = await asyncio.wait_for(inbox.submit(event("2", "/bc vneid 3"), CAPABILITIES), 10)
    assert "VNeID 3" in (await replies(report))[0]
    assert not summary.done()
    gate.set()
    assert await replies(await summary) == ["bảng xếp hạng"]
    await inbox.finish()


async def test_after_a_large_batch_a_few_waiting_events_wait_for_the_callers_coming_back(
    db, monkeypatch
):
    """Under load the callers of a batch send again within a round trip; without the linger the
    one event that arrived meanwhile ran alone, and batches alternated large and tiny."""
    await fresh_commune()
    sizes = count_batches(monkeypatch)
    inbox = Inbox(get_settings(), max_batch=8)
    first = [inbox.submit(event("1", f"/bc vneid {n}"), CAPABILITIES) for n in range(4)]
    running = asyncio.gather(*first)
    await asyncio.sleep(0)  # the batch of four is in the database
    lone = asyncio.ensure_future(inbox.submit(event("2", "/bc vneid 1"), CAPABILITIES))
    await running  # answered: these callers come back at once
    back = [inbox.submit(event("1", f"/bc dvc {n}"), CAPABILITIES) for n in range(1, 4)]
    await asyncio.gather(lone, *back)
    assert sizes == [4, 4]
    quiet = Inbox(get_settings(), max_batch=8)  # a small batch before: nothing waits
    await quiet.submit(event("2", "/bc vneid 2"), CAPABILITIES)
    await quiet.submit(event("2", "/bc vneid 3"), CAPABILITIES)
    assert sizes == [4, 4, 1, 1]


def flow_context(session, user: str):
    return Context(
        session=session,
        event=event(user),
        settings=get_settings(),
        capabilities=CAPABILITIES,
        now=None,
    )


@pytest.mark.skipif(not ON_POSTGRES, reason="SQLite runs one transaction at a time")
async def test_two_processes_opening_one_users_flow_at_once_both_succeed(db):
    """Two workers take two messages of one user at the same moment: each transaction starts the
    flow; the later commit wins instead of the second failing on the conversation's unique key."""
    await fresh_commune()
    async with session_scope() as one, session_scope() as two:
        for session, step in ((one, "first"), (two, "second")):
            ctx = flow_context(session, "1")
            assert await state.load(ctx) == (None, False)
            await state.start(ctx, "ghinhan", step, {})
        for session in (one, two):  # each writes as it commits, as the inbox does
            await state.write_conversations(session)
            await session.commit()
    assert await open_flows() == [("1", "ghinhan", "second")]


async def test_conversations_are_written_when_asked_and_a_rollback_writes_none(db):
    await fresh_commune()
    async with session_scope() as session:
        ctx = flow_context(session, "1")
        await state.start(ctx, "ghinhan", "date", {})
        await session.commit()  # kept in memory: a commit alone writes nothing
    assert await open_flows() == []
    async with session_scope() as session:
        ctx = flow_context(session, "1")
        await state.start(ctx, "ghinhan", "date", {})
        await state.write_conversations(session)
        await session.commit()
    assert await open_flows() == [("1", "ghinhan", "date")]
    async with session_scope() as session:
        ctx = flow_context(session, "1")
        conversation, _ = await state.load(ctx)
        await state.save(ctx, conversation, "count", {"day": "0"})
        await state.start(flow_context(session, "2"), "ghinhan", "date", {})
        await session.rollback()
        await state.write_conversations(session)  # nothing: the rollback dropped the changes
        await session.commit()
    assert await open_flows() == [("1", "ghinhan", "date")]
    async with session_scope() as session:
        await state.end(flow_context(session, "1"))  # ends what it never read
        await state.start(flow_context(session, "2"), "ghinhan", "date", {})
        await state.write_conversations(session)
        await session.commit()
    assert await open_flows() == [("2", "ghinhan", "date")]


async def stored_updates() -> int:
    async with session_scope() as session:
        return len((await session.exec(select(ProcessedUpdate))).all())


async def test_a_database_failure_records_nothing_and_the_update_comes_again(db):
    """A restart under a batch: no update is recorded, none told "error"; the platform's second
    delivery is handled as the first."""
    await fresh_commune()
    events = [event("1", "/bc vneid 2"), event("2", "/bc dvc 1")]
    items = [Item(e, CAPABILITIES) for e in events]
    with FailingDatabase(("INSERT INTO outbox",)), pytest.raises(Unavailable):
        await process_batch(items, settings=get_settings())  # fails at its last write
    assert (await stored_updates(), await standing_reports()) == (0, [])
    async with session_scope() as session:
        assert (await session.exec(select(Outbox))).all() == []
    ids = await process_batch([Item(e, CAPABILITIES) for e in events], settings=get_settings())
    first, second = [await replies(i) for i in ids]
    assert "VNeID 2" in first[0] and "Dịch vụ công 1" in second[0]
    assert len(await standing_reports()) == 2


async def test_the_database_failing_while_a_bad_update_is_recorded_leaves_it_unrecorded(
    db, monkeypatch
):
    """One update fails on its own; while its error reply is written the database goes: that
    update is not recorded (its caller gets Unavailable), the others keep their answers."""
    await fresh_commune()
    outage = FailingDatabase(("INSERT INTO processedupdate",), times=0)
    runs = itertools.count(1)

    async def broken(ctx, args):
        if next(runs) == 2:  # run alone, in the fallback: its error reply's recording fails
            outage.left = 1
        raise RuntimeError("a bug in one handler")

    monkeypatch.setitem(COMMANDS, "toi", broken)
    events = [event("1", "/bc vneid 2"), event("2", "/toi"), event("2", "/bc dvc 1")]
    with outage:
        results = await process_batch(
            [Item(e, CAPABILITIES) for e in events], settings=get_settings()
        )
    first, failed, last = results
    assert isinstance(failed, Unavailable)
    assert "VNeID 2" in (await replies(first))[0] and "Dịch vụ công 1" in (await replies(last))[0]
    assert await stored_updates() == 2  # the failed one comes again and is handled then
    monkeypatch.setitem(COMMANDS, "toi", COMMANDS["bc"])
    (again,) = await process_batch([Item(events[1], CAPABILITIES)], settings=get_settings())
    assert await replies(again) != [texts.ERROR_TRY_AGAIN]


async def test_the_inbox_answers_every_caller_of_a_failed_batch_with_unavailable(db):
    await fresh_commune()
    inbox = Inbox(get_settings())
    with FailingDatabase():
        results = await asyncio.gather(
            *(inbox.submit(event(u, "/bc vneid 1"), CAPABILITIES) for u in ("1", "2")),
            return_exceptions=True,
        )
    assert [type(r) for r in results] == [Unavailable, Unavailable]
    assert await stored_updates() == 0


async def test_replies_of_a_caller_that_left_still_go(db):
    """A webhook request cancelled while its batch is in the database: the update's effects
    stand, and its replies are handed on (`orphaned`) instead of staying `sending`."""
    await fresh_commune()
    left: list[Delivery] = []
    inbox = Inbox(get_settings(), orphaned=left.append)
    waiting = asyncio.ensure_future(inbox.submit(event("1", "/bc vneid 2"), CAPABILITIES))
    await asyncio.sleep(0)  # the batch has started
    waiting.cancel()
    await inbox.submit(event("2", "/bc vneid 1"), CAPABILITIES)  # the next batch: the first is done
    assert [len(delivery.answers) for delivery in left] == [1]
