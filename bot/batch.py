"""A batch of events in one transaction: it holds each event's dedupe record, effects and
replies, so all of them commit together or none does. The senders, group links, open
conversations and the day's reports of all its events are read with one query each
(`Preloaded`).

An event that reads many units' reports (a summary, a leaderboard) is read first, aside
(bot.reading); its batch then only records it and writes what it queued and its replies.
"""

import asyncio
import logging
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cache

from bot import flood, texts
from bot.attachments import Render, queued_renders, reserve_renders
from bot.core.channel import Capabilities
from bot.core.context import Preloaded, group_key, read_groups, read_senders, sender_key
from bot.core.events import Event
from bot.core.replies import Reply
from bot.core.state import conversation_key, read_conversations, write_conversations
from bot.logs import log_context
from bot.metrics import BATCH_SIZE, TRANSACTION_SECONDS, UPDATES
from bot.router import handle, reads_many
from config import Settings
from db.models import ProcessedUpdate, utcnow
from db.outbox import Claim, Message, enqueue_answers, enqueue_many
from db.rate_slots import Chat, Slots, early_slots
from db.reports import read_day_reports, write_reports
from db.session import dialect_insert, execute_core, is_unavailable, keep_held, session_scope

log = logging.getLogger(__name__)


@dataclass
class Delivery:
    """An event's replies once committed: answers planned to send now, and rows for other chats
    (a note to a leader) that still need claiming."""

    answers: list[Claim] = field(default_factory=list)
    others: list[int] = field(default_factory=list)
    notice: str = ""  # the answer to a button press, shown only to who pressed it
    renders: list[Render] = field(default_factory=list)  # its files, to draw before sending


@dataclass
class Item:
    """An event waiting in the inbox, and the future its webhook request awaits; with what the
    inbox orders it by, worked out once (bot.inbox)."""

    event: Event
    capabilities: Capabilities
    done: asyncio.Future = field(default_factory=lambda: asyncio.get_running_loop().create_future())
    keys: set = field(init=False)  # whose order it is in: its sender's and its chat's
    heavy: bool = field(init=False)  # it reads many units' reports (`reads_many`)

    def __post_init__(self) -> None:
        self.keys = {sender_key(self.event), (self.event.platform, self.event.chat_id)}
        self.heavy = reads_many(self.event)


@dataclass
class Read:
    """What an event's handler gave in a read-only transaction (bot.reading): its replies, and
    the writes it queued there (`db.session.take_all_held`), for its batch to write."""

    now: datetime
    replies: list[Reply]
    queued: dict


class Unavailable(Exception):
    """The database or the connection failed, not the update: nothing was recorded, so the
    webhook answers 503 and the platform delivers the update again."""


async def process_batch(
    items: list[Item], *, settings: Settings, read: Read | None = None
) -> list[Delivery | Exception]:
    """Handle events in arrival order, in one transaction; returns each one's replies.

    If the database or the connection fails, nothing is recorded: Unavailable is raised for all,
    and the platform delivers again. If anything else fails, the batch is rolled back and each
    event runs again on its own, so one bad update costs only its own effects: it is recorded
    with the error reply. Each event's outcome in the fallback is its own (a Delivery, or the
    exception its caller gets).
    """
    try:
        return await _run_batch(items, settings=settings, read=read)
    except Exception as error:
        if is_unavailable(error):
            raise Unavailable(type(error).__name__) from error
        if len(items) == 1:
            return [await _record_failure(items[0], error, settings=settings)]
    return [await run_alone(item, settings=settings) for item in items]


async def run_alone(
    item: Item, *, settings: Settings, read: Read | None = None, failed: Exception | None = None
) -> Delivery | Exception:
    """The item in a batch of its own (or, if it `failed` already, recorded with the error)."""
    try:
        if failed is not None:
            return await _record_failure(item, failed, settings=settings)
        return (await process_batch([item], settings=settings, read=read))[0]
    except Exception as error:  # Unavailable, or the failure could not be recorded
        return error


async def _run_batch(items: list[Item], *, settings: Settings, read: Read | None) -> list[Delivery]:
    BATCH_SIZE.observe(len(items))
    with TRANSACTION_SECONDS.time():
        fresh, deliveries = await _transaction(items, settings=settings, read=read)
    handled = {id(item) for item in fresh}
    for item in items:
        UPDATES.labels(item.event.platform, "handled" if id(item) in handled else "repeat").inc()
    by_item = {id(item): d for item, d in zip(fresh, deliveries, strict=True)}
    return [by_item.get(id(item), Delivery()) for item in items]


async def _transaction(
    items: list[Item], *, settings: Settings, read: Read | None
) -> tuple[list[Item], list]:
    """The batch's one transaction: the fresh items, and their deliveries once committed."""
    now = read.now if read else datetime.now(settings.zone)
    async with session_scope() as session:
        recorded = await _record_updates(session, [item.event for item in items])
        fresh = []  # the first delivery of each update recorded now; repeats get nothing
        for item in items:
            if _update(item.event) in recorded:
                recorded.discard(_update(item.event))
                fresh.append(item)
        slots = Slots()  # the senders' and the answers' rate slots, written once at the end
        replies, queued = await _replies(
            session, fresh, settings=settings, now=now, read=read, slots=slots
        )
        await write_queued(session)
        deliveries = await _enqueue_all(
            session, fresh, replies, owner=settings.instance, slots=slots
        )
        renders = await reserve_renders(session)
        await session.commit()
    for delivery, first, last in zip(deliveries, [0, *queued], queued, strict=False):
        delivery.renders = renders[first:last]  # drawn by its caller (`Inbox.submit`)
    return fresh, deliveries


async def _replies(
    session, fresh: list[Item], *, settings: Settings, now, read: Read | None, slots: Slots
) -> tuple[list[list[Reply]], list[int]]:
    """Each fresh event's replies, in order, and how many files were queued once it ran; a
    sender past the flood limit (bot.flood) gets one notice, then nothing, and the event is not
    handled. An event already `read` (its batch's only one) brings its replies and writes. The
    answers' send slots are locked with the flood slots where that is free (`early_slots`)."""
    limit, at = flood.Limit.of(settings), utcnow()
    chats = [Chat(i.event.platform, i.event.chat_id, not i.event.is_private) for i in fresh]
    answers = early_slots(session, chats, rates=_rates(fresh), now=at)
    events = [i.event for i in fresh]
    verdicts = await flood.admit(session, events, limit=limit, now=at, slots=slots, also=answers)
    handled = [item for item, v in zip(fresh, verdicts, strict=True) if v == flood.ALLOW]
    if read is None:
        preloaded = await preload(session, [item.event for item in handled], today=now.date())
    replies, queued = [], []
    for item, verdict in zip(fresh, verdicts, strict=True):
        if verdict != flood.ALLOW:
            replies.append(flood.notice(limit) if verdict == flood.NOTICE else [])
        elif read is not None:
            keep_held(session, read.queued)
            replies.append(read.replies)
        else:
            with event_ids(item.event):
                replies.append(
                    await handle(
                        session,
                        item.event,
                        capabilities=item.capabilities,
                        settings=settings,
                        now=now,
                        preloaded=preloaded,
                    )
                )
        queued.append(queued_renders(session))
    return replies, queued


def event_ids(event: Event):
    """Log lines about this event carry its update and chat ids."""
    return log_context(
        update_id=f"{event.platform}:{event.update_key}",
        chat_id=f"{event.platform}:{event.chat_id}",
    )


async def _record_failure(item: Item, error: Exception, *, settings: Settings) -> Delivery:
    """An update that failed on its own, with the database answering: recorded with the error
    reply, so a repeat does nothing. If the database fails now, Unavailable: nothing recorded."""
    event = item.event
    with event_ids(event):
        log.error("update %s:%s failed", event.platform, event.update_key, exc_info=error)
    try:
        async with session_scope() as session:
            if not await _record_updates(session, [event]):
                return Delivery()
            error_reply = [[Reply(texts.ERROR_TRY_AGAIN)]]
            deliveries = await _enqueue_all(session, [item], error_reply, owner=settings.instance)
            await session.commit()
        UPDATES.labels(event.platform, "failed").inc()
    except Exception as again:
        if is_unavailable(again):
            raise Unavailable(type(again).__name__) from again
        raise
    return deliveries[0]


async def write_queued(session) -> None:
    """Write what a transaction's events queued in memory, once before it commits: their reports
    (one INSERT for all of them) and their conversation changes."""
    await write_reports(session)
    await write_conversations(session)


def _update(event: Event) -> tuple[str, str]:
    return (event.platform, event.update_key)


async def _record_updates(session, events: list[Event]) -> set[tuple[str, str]]:
    """Record the updates; returns those recorded now (a repeat, even a concurrent one, is not)."""
    unique = dict.fromkeys(_update(event) for event in events)
    rows = [{"platform": p, "update_id": u, "received_at": utcnow()} for p, u in unique]
    statement = _record_statement(dialect_insert(session))
    return {tuple(row) for row in (await execute_core(session, statement, rows)).all()}


@cache
def _record_statement(insert):
    """Built once per dialect; a Core insert, with no ORM work per row."""
    table = ProcessedUpdate.__table__
    return (
        insert(table)
        .on_conflict_do_nothing(index_elements=["platform", "update_id"])
        .returning(table.c.platform, table.c.update_id)
    )


async def preload(
    session, events: list[Event], *, today: date, day_reports: bool = True
) -> Preloaded:
    """The batch's reads, once for all its events; with the senders' reports of the day, which
    every report is checked against (bot.report_checks), unless it only reads (`day_reports`)."""
    await read_conversations(session, {conversation_key(e) for e in events})
    senders = await read_senders(session, {sender_key(e) for e in events})
    if day_reports:
        people = {person.id for person, _ in senders.values()}
        await read_day_reports(session, person_ids=people, day=today)
    return Preloaded(
        senders=senders, groups=await read_groups(session, {group_key(e) for e in events} - {None})
    )


def _rates(items: list[Item]) -> dict:
    return {item.event.platform: item.capabilities.rates for item in items}


async def _enqueue_all(
    session,
    items: list[Item],
    replies: list[list[Reply]],
    *,
    owner: str,
    slots: Slots | None = None,
) -> list[Delivery]:
    """Every event's replies: answers in one INSERT for the batch, others (rare) one by one.

    Answers to the chat that wrote are planned and claimed here (`enqueue_answers`), last in the
    transaction so the rate slots stay locked only briefly, spaced by each channel's limits;
    replies elsewhere wait as pending.
    """
    answers: list[tuple[int, Message]] = []
    others: list[tuple[int, Message]] = []
    deliveries = [Delivery() for _ in items]
    for index, (item, event_replies) in enumerate(zip(items, replies, strict=True)):
        for number, reply in enumerate(event_replies):
            if reply.notice:
                deliveries[index].notice = reply.text
                continue
            message = _addressed(item.event, reply, number)
            (answers if message.dedupe_key else others).append((index, message))
    for index, message in others:  # rare (joins, refusals): one INSERT each keeps ids in order
        deliveries[index].others += await enqueue_many(session, [message])
    messages = [m for _, m in answers]
    claims = await enqueue_answers(session, messages, rates=_rates(items), owner=owner, slots=slots)
    for (index, _), claim in zip(answers, claims, strict=True):
        deliveries[index].answers.append(claim)
    return deliveries


def _addressed(event: Event, reply: Reply, number: int) -> Message:
    """The event's `number`-th reply as an outbox message: an answer to the chat that wrote (in
    its forum topic, keyed by the update so a repeat adds nothing), or a message elsewhere (a
    private note, another chat), which has no key."""
    if reply.private_to:
        platform, chat_id = reply.private_to.split(":", 1)
        return Message(platform, chat_id, reply, False)
    if reply.chat_id:
        return Message(event.platform, reply.chat_id, reply, not event.is_private)
    if event.thread_id and not reply.thread_id:  # a forum topic: answer in it
        reply = replace(reply, thread_id=event.thread_id)
    key = f"{event.platform}:{event.update_key}:{number}"
    return Message(event.platform, event.chat_id, reply, not event.is_private, key)
