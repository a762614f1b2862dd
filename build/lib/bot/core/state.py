"""Conversation state in the database, keyed by platform, chat and user, so any worker can continue.

A transaction reads each user's conversation once (a batch reads all of them in one query), keeps
the changes in memory, and `write_conversations` writes them before it commits (the inbox calls
it): as plain rows with two statements, not as ORM objects, whose unit of work cost ~5 ms per batch
of updates.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import bindparam, delete
from sqlmodel import select

from bot.core.context import Context
from bot.core.events import Event
from bot.core.replies import Reply
from bot.words import label_words
from db.models import Conversation, utcnow
from db.session import by_platform, dialect_insert, execute_core, held, take_held

MENU = "menu"  # a pending choice list outside any flow (so "2" still means choice 2)


@dataclass
class Answer:
    """What the user sent in reply to a step."""

    text: str = ""
    choice: str | None = None
    photo_ref: str | None = None
    contact_phone: str | None = None


@dataclass
class Step:
    """A step's outcome: replies, and the step to wait in next (None ends the flow)."""

    replies: list[Reply] = field(default_factory=list)
    next: str | None = None


@dataclass
class OpenFlow:
    """A user's open conversation: the flow, the step it waits in, and what it collected."""

    flow: str
    step: str
    data: dict
    expires_at: datetime


Key = tuple[str, str, str]  # (platform, chat id, user id)
STORE = "conversations"
TABLE = Conversation.__table__
COLUMNS = (TABLE.c.platform, TABLE.c.chat_id, TABLE.c.user_id)
# Built once: building a statement and working out its cache key cost more than running it.
# By platform and chat, from the unique index (db.session.by_platform says why not row values).
READ = select(*COLUMNS, TABLE.c.flow, TABLE.c.step, TABLE.c.data, TABLE.c.expires_at).where(
    TABLE.c.platform == bindparam("platform"), TABLE.c.chat_id.in_(bindparam("ids", expanding=True))
)
DELETE = delete(TABLE).where(  # executemany, one conversation per parameter set
    *(column == bindparam(column.name) for column in COLUMNS)
)


@cache
def _upsert(insert):
    """INSERT … ON CONFLICT DO UPDATE with the dialect's `insert` (the same words on both)."""
    statement = insert(TABLE)
    kept = ("flow", "step", "data", "expires_at", "updated_at")
    return statement.on_conflict_do_update(
        index_elements=["platform", "chat_id", "user_id"],
        set_={name: statement.excluded[name] for name in kept},
    )


@dataclass
class Conversations:
    """The transaction's conversations: read once, changed in memory, written before commit with
    one DELETE for the ended and one upsert for the rest (`write_conversations`), whatever the
    batch did."""

    open: dict[Key, OpenFlow | None] = field(default_factory=dict)
    changed: set[Key] = field(default_factory=set)


def _store(session) -> Conversations:
    return held(session, STORE, Conversations)


def conversation_key(event: Event) -> Key:
    return (event.platform, event.chat_id, event.user_id)


async def read_conversations(session, keys: set[Key]) -> None:
    """Read the open conversations among `keys` not read yet in this transaction, in one query a
    platform."""
    store = _store(session)
    missing = sorted(keys - store.open.keys())
    if not missing:
        return
    store.open.update(dict.fromkeys(missing))
    wanted = set(missing)  # not another user's in the same group, nor one read (and changed) before
    for platform, chat_ids in by_platform(missing).items():
        params = {"platform": platform, "ids": chat_ids}
        for chat_platform, chat_id, user_id, *flow in await execute_core(session, READ, params):
            if (key := (chat_platform, chat_id, user_id)) in wanted:
                store.open[key] = OpenFlow(*flow)


async def load(ctx: Context) -> tuple[OpenFlow | None, bool]:
    """The open conversation, and whether one had expired (it is then removed, nothing kept)."""
    key = conversation_key(ctx.event)
    await read_conversations(ctx.session, {key})
    conversation = _store(ctx.session).open[key]
    if conversation is None:
        return None, False
    if conversation.expires_at <= utcnow():
        await end(ctx)
        return None, conversation.flow != MENU
    return conversation, False


def _expiry(ctx: Context) -> datetime:
    return utcnow() + timedelta(minutes=ctx.settings.conversation_minutes)


async def start(ctx: Context, flow: str, step: str, data: dict) -> None:
    """Open a flow (replacing any other open one for this user in this chat)."""
    _set(ctx, OpenFlow(flow, step, data, _expiry(ctx)))


async def save(ctx: Context, conversation: OpenFlow, step: str, data: dict) -> None:
    conversation.step, conversation.data = step, dict(data)
    conversation.expires_at = _expiry(ctx)
    _set(ctx, conversation)


async def end(ctx: Context) -> None:
    """Close the user's open conversation (whether or not it was read)."""
    _set(ctx, None)


def _set(ctx: Context, conversation: OpenFlow | None) -> None:
    store, key = _store(ctx.session), conversation_key(ctx.event)
    store.open[key] = conversation
    store.changed.add(key)


async def write_conversations(session) -> None:
    """One DELETE for the ended conversations, one upsert for the others: the upsert also settles
    two processes opening a flow for one user at once (the later one wins)."""
    store = take_held(session, STORE)
    if store is None or not store.changed:
        return
    changed = sorted(store.changed)
    ended = [key for key in changed if store.open[key] is None]
    if ended:
        names = [column.name for column in COLUMNS]  # DELETE's parameters
        await execute_core(session, DELETE, [dict(zip(names, key, strict=True)) for key in ended])
    now = utcnow()
    rows = [  # spelled out: dataclasses.asdict deep-copies `data`, ~0.06 ms a row
        {
            "platform": platform,
            "chat_id": chat_id,
            "user_id": user_id,
            "flow": flow.flow,
            "step": flow.step,
            "data": flow.data,
            "expires_at": flow.expires_at,
            "updated_at": now,
        }
        for platform, chat_id, user_id in changed
        if (flow := store.open[(platform, chat_id, user_id)]) is not None
    ]
    if rows:
        await execute_core(session, _upsert(dialect_insert(session)), rows)


async def remember_choices(ctx: Context, replies: list[Reply]) -> None:
    """Store the last offered choices, so a typed number, or a label typed instead of pressed,
    picks one on channels without buttons."""
    offered = [c for r in replies if r.chat_id is None and r.private_to is None for c in r.choices]
    if not offered:
        return
    conversation, _ = await load(ctx)
    if conversation is None:
        conversation = OpenFlow(MENU, "choose", {}, _expiry(ctx))
    data = {
        **conversation.data,
        "choices": [c.data for c in offered],
        "labels": [label_words(c.label) for c in offered],
    }
    await save(ctx, conversation, conversation.step, data)
