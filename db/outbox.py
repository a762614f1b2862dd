"""The outbox: every outgoing message is a row, stored in the transaction that made it, then
claimed and sent by scheduler.sender within the platforms' limits (db.rate_slots).

A row's `next_attempt_at` means "due at" while pending and "planned send time" while sending.
None of these functions commits: the caller's transaction decides.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Protocol

from sqlalchemy import delete, func, insert, update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.member_counts import count_people
from db.models import ChatGroup, Identity, Media, Outbox, SenderBeat, utcnow
from db.rate_slots import Rates, Slots, plan_sends
from db.session import by_platform, dialect_insert, execute_core

INTERACTIVE = 0
JOB = 10
PENDING, SENDING, SENT, FAILED, UNREACHABLE = "pending", "sending", "sent", "failed", "unreachable"
# A row its process held `sending` when it died, planned before it was last seen alive: the
# platform may or may not have it. Not sent again (a second copy is the worse fault); counted.
UNKNOWN = "unknown"


class Content(Protocol):
    """What a message says: the core's Reply, stored as the JSON its `to_payload` gives."""

    def to_payload(self) -> dict: ...


@dataclass(frozen=True)
class Message:
    """One row for `enqueue_many`: where it goes, what it says, and its dedupe key."""

    platform: str
    chat_id: str
    reply: Content
    is_group: bool = False
    dedupe_key: str | None = None


@dataclass
class Row:
    """An outbox row being sent: a plain record (an ORM object costs ~0.1 ms to build), kept in
    step with the database by `set_row`."""

    id: int
    platform: str
    chat_id: str
    is_group: bool
    payload: dict
    priority: int
    status: str
    attempts: int
    next_attempt_at: datetime
    sent_at: datetime | None = None
    last_error: str | None = None


ROW_COLUMNS = [getattr(Outbox, name) for name in Row.__dataclass_fields__]


@dataclass
class Claim:
    """A claimed row, and whether its bot rate slot is taken (a waiting group row's is not yet)."""

    row: Row
    has_bot_slot: bool


# Storing


async def enqueue(
    session: AsyncSession,
    *,
    platform: str,
    chat_id: str,
    reply: Content,
    is_group: bool,
    priority: int = INTERACTIVE,
    dedupe_key: str | None = None,
    not_before: datetime | None = None,
) -> int | None:
    """Store a message in the caller's transaction: it exists exactly when the update's effects do.

    `not_before` holds the row until then (a job's quiet hours); None or a past time means now.
    Returns the row id, or None when a row with the same dedupe key exists already.
    """
    message = Message(platform, chat_id, reply, is_group, dedupe_key)
    ids = await enqueue_many(session, [message], priority=priority, not_before=not_before)
    return ids[0] if ids else None


async def enqueue_many(
    session: AsyncSession,
    messages: list[Message],
    *,
    priority: int = INTERACTIVE,
    not_before: datetime | None = None,
) -> list[int]:
    """Store many messages in one executemany INSERT (a job's fan-out); returns the new ids, sorted.

    Messages whose dedupe key is already taken are skipped, as with `enqueue`. SQLAlchemy sends the
    rows in batches of multi-row INSERT ... RETURNING, one cached statement for every size.
    """
    if not messages:
        return []
    now = utcnow()
    due = max(now, not_before) if not_before is not None else now
    rows = [_row(m, status=PENDING, priority=priority, at=due, now=now) for m in messages]
    statement = _enqueue_statement(dialect_insert(session))
    return sorted((await session.exec(statement, params=rows)).scalars().all())


@cache
def _enqueue_statement(insert):
    """Built once per dialect; a Core insert, with no ORM work per row."""
    table = Outbox.__table__
    return insert(table).on_conflict_do_nothing(index_elements=["dedupe_key"]).returning(table.c.id)


INSERT_ANSWERS = insert(Outbox.__table__).returning(
    Outbox.__table__.c.dedupe_key, Outbox.__table__.c.id
)


async def enqueue_answers(
    session: AsyncSession,
    messages: list[Message],
    *,
    rates: Mapping[str, Rates],
    owner: str | None = None,
    slots: Slots | None = None,
) -> list[Claim]:
    """Store replies to the chats that wrote, planned by the rate slots, in the update's transaction.

    Their chats are reachable (they just wrote), so the rows are stored `sending` with their send
    times and handed back as claims for this process to send right after the commit
    (`Sender.send_claims`), with no claim transaction of their own. No poller takes a `sending`
    row; if the process dies first, they go back to pending after the sender's STALE. Each message
    needs a dedupe key (its update's, and its place among the answers): it matches new ids to rows.
    `rates` holds each platform's limits; `slots`, the rate slots the transaction holds already,
    written with theirs, even with no message (`plan_sends`).
    """
    now = utcnow()
    plans = await plan_sends(session, messages, rates=rates, now=now, slots=slots)
    if not messages:
        return []
    rows = [
        _row(m, status=SENDING, priority=INTERACTIVE, at=plan.at, now=now) | {"owner": owner}
        for m, plan in zip(messages, plans, strict=True)
    ]
    ids = dict((await execute_core(session, INSERT_ANSWERS, rows)).all())
    fields = Row.__dataclass_fields__
    return [
        Claim(
            Row(id=ids[row["dedupe_key"]], **{k: v for k, v in row.items() if k in fields}),
            plan.has_bot_slot,
        )
        for row, plan in zip(rows, plans, strict=True)
    ]


def _row(message: Message, *, status: str, priority: int, at: datetime, now: datetime) -> dict:
    return {
        "platform": message.platform,
        "chat_id": message.chat_id,
        "is_group": message.is_group,
        "payload": message.reply.to_payload(),
        "dedupe_key": message.dedupe_key,
        "priority": priority,
        "status": status,
        "attempts": 0,
        "next_attempt_at": at,
        "created_at": now,
    }


# Claiming


async def take_rows(
    session: AsyncSession,
    *,
    platforms: list[str],
    size: int,
    now: datetime,
    ids: list[int] | None = None,
    owner: str | None = None,
) -> list[Row]:
    """Move up to `size` pending rows to `sending` for `owner`, most urgent first: those due by
    `now`, or the rows `ids` whatever their time. SKIP LOCKED keeps PostgreSQL senders apart; the
    status check guards SQLite's one process."""
    which = Outbox.id.in_(ids) if ids is not None else Outbox.next_attempt_at <= now
    query = (
        select(Outbox.id)
        .where(Outbox.status == PENDING, Outbox.platform.in_(platforms), which)
        .order_by(Outbox.priority, Outbox.id)
        .limit(size)
        .with_for_update(skip_locked=True)
    )
    while taken := list((await session.exec(query)).all()):
        claim = (
            update(Outbox)
            .where(Outbox.id.in_(taken), Outbox.status == PENDING)
            .values(status=SENDING, next_attempt_at=now, owner=owner)
            .returning(*ROW_COLUMNS)
        )
        rows = [Row(*row) for row in (await session.exec(claim)).all()]
        if rows:
            return sorted(rows, key=lambda row: (row.priority, row.id))
    return []


async def unreachable_rows(session: AsyncSession, rows: list[Row]) -> set[int]:
    """Ids of the rows whose chat blocked or removed the bot: they get no more messages."""
    groups = {(row.platform, row.chat_id) for row in rows if row.is_group}
    people = {(row.platform, row.chat_id) for row in rows if not row.is_group}
    lost: set[tuple[bool, str, str]] = set()
    for is_group, model, id_column, chats in (
        (True, ChatGroup, ChatGroup.chat_id, groups),
        (False, Identity, Identity.user_id, people),
    ):
        for platform, ids in by_platform(chats).items():
            query = select(id_column).where(
                model.platform == platform,
                id_column.in_(ids),
                model.unreachable_at.is_not(None),
            )
            lost |= {(is_group, platform, chat) for chat in (await session.exec(query)).all()}
    return {row.id for row in rows if (row.is_group, row.platform, row.chat_id) in lost}


async def recover_stale(session: AsyncSession, *, before: datetime) -> int:
    """Rows left `sending` since before `before` by no known process (stored before owners were
    recorded) go back to pending; returns how many."""
    result = await session.exec(
        update(Outbox)
        .where(Outbox.status == SENDING, Outbox.owner.is_(None), Outbox.next_attempt_at < before)
        .values(status=PENDING)
    )
    return result.rowcount


async def beat(session: AsyncSession, *, owner: str, at: datetime) -> None:
    """Record that `owner` is alive at `at`, every send it finished before then recorded."""
    statement = dialect_insert(session)(SenderBeat.__table__).values(owner=owner, alive_at=at)
    await session.exec(
        statement.on_conflict_do_update(index_elements=["owner"], set_={"alive_at": at})
    )


async def last_beat(session: AsyncSession, *, owner: str) -> datetime | None:
    beat = await session.get(SenderBeat, owner)
    return beat.alive_at if beat is not None else None


async def gone_owners(session: AsyncSession, *, before: datetime) -> list[tuple[str, datetime]]:
    """Processes last seen alive before `before`, and when; each is forgotten (its rows are
    settled by the caller, once)."""
    query = select(SenderBeat.owner, SenderBeat.alive_at).where(SenderBeat.alive_at < before)
    gone = list((await session.exec(query.with_for_update(skip_locked=True))).all())
    if gone:
        await session.exec(delete(SenderBeat).where(SenderBeat.owner.in_([o for o, _ in gone])))
    return gone


async def settle_owner(
    session: AsyncSession, *, owner: str, sent_by: datetime, now: datetime, before: datetime
) -> tuple[int, int]:
    """A stopped process's `sending` rows stored before `before`: those planned after `sent_by`
    (its last beat plus the beat's interval) were never attempted and go back to pending now; the
    others may have reached the platform and are marked UNKNOWN. Returns (resumed, unknown)."""
    mine = (Outbox.owner == owner, Outbox.status == SENDING, Outbox.created_at < before)
    resumed = await session.exec(
        update(Outbox)
        .where(*mine, Outbox.next_attempt_at > sent_by)
        .values(status=PENDING, next_attempt_at=now, owner=None)
    )
    unknown = await session.exec(
        update(Outbox)
        .where(*mine)
        .values(status=UNKNOWN, last_error="the sending process stopped during the send")
    )
    return resumed.rowcount, unknown.rowcount


async def release(session: AsyncSession, *, ids: list[int], now: datetime) -> None:
    """Rows this process claimed but will not send go back to pending, due now."""
    await session.exec(
        update(Outbox)
        .where(Outbox.id.in_(ids), Outbox.status == SENDING)
        .values(status=PENDING, next_attempt_at=now)
    )


async def waiting_platforms(session: AsyncSession, *, configured: list[str]) -> set[str]:
    """Platforms, other than `configured`, that have pending rows."""
    query = select(Outbox.platform).where(
        Outbox.status == PENDING, Outbox.platform.not_in(configured)
    )
    return set((await session.exec(query.distinct())).all())


async def depth(session: AsyncSession) -> dict[str, int]:
    """How many rows wait in each state (all but sent, which only grows): the outbox's depth.
    The due index starts with the status, so this reads the index only."""
    query = select(Outbox.status, func.count()).where(Outbox.status != SENT).group_by(Outbox.status)
    counts = dict((await session.exec(query)).all())
    return {state: counts.get(state, 0) for state in (PENDING, SENDING, FAILED, UNREACHABLE)}


async def row_states(session: AsyncSession, *, ids: list[int]) -> list[tuple[str, datetime]]:
    """Each row's status and next attempt time."""
    query = select(Outbox.status, Outbox.next_attempt_at).where(Outbox.id.in_(ids))
    return list((await session.exec(query)).all())


async def due_ids(session: AsyncSession, *, ids: list[int], now: datetime) -> list[int]:
    """Those of these rows planned for `now` or earlier (not held for quiet hours)."""
    query = select(Outbox.id).where(Outbox.id.in_(ids), Outbox.next_attempt_at <= now)
    return list((await session.exec(query)).all())


# Recording


async def set_row(session: AsyncSession, row: Row, **values) -> None:
    """Update the row in the database and in memory alike."""
    await session.exec(update(Outbox).where(Outbox.id == row.id).values(**values))
    for name, value in values.items():
        setattr(row, name, value)


async def set_planned(session: AsyncSession, rows: list[Row]) -> None:
    """Store the rows' planned send times (`next_attempt_at`) and statuses, in one executemany:
    `sending` at that time, or `pending` until then (a row deferred while its group is full)."""
    await session.exec(
        update(Outbox),
        params=[
            {"id": row.id, "next_attempt_at": row.next_attempt_at, "status": row.status}
            for row in rows
        ],
    )


async def record_sent(session: AsyncSession, done: list[tuple[Row, datetime]]) -> None:
    """Mark rows sent at their times, in one executemany (the rows in memory are left as is)."""
    await session.exec(
        update(Outbox),
        params=[
            {"id": row.id, "status": SENT, "sent_at": at, "attempts": row.attempts + 1}
            for row, at in done
        ],
    )


async def mark_unreachable(session: AsyncSession, row: Row, *, at: datetime) -> None:
    """The row's chat gets nothing more: group chats by chat id; private chats use the user's
    id as chat id."""
    if row.is_group:
        match = (ChatGroup.platform == row.platform, ChatGroup.chat_id == row.chat_id)
        await session.exec(update(ChatGroup).where(*match).values(unreachable_at=at))
    else:
        match = (Identity.platform == row.platform, Identity.user_id == row.chat_id)
        people = list((await session.exec(select(Identity.person_id).where(*match))).all())
        await count_people(session, people=people, sign=-1)  # members' counts: db.member_counts
        await session.exec(update(Identity).where(*match).values(unreachable_at=at))
        await count_people(session, people=people, sign=1)


async def media_bytes(session: AsyncSession, *, ids: set[str]) -> dict[str, bytes]:
    """The bytes of the attachments a payload names (the media table holds them)."""
    rows = (await session.exec(select(Media.id, Media.data).where(Media.id.in_(ids)))).all()
    return {media_id: data for media_id, data in rows}
