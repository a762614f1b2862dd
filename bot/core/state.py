"""Conversation state in the database, keyed by platform, chat and user, so any worker can continue."""

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import delete, tuple_
from sqlmodel import select

from bot.core.context import Context
from bot.core.events import Event
from bot.core.replies import Reply
from db.models import Conversation, utcnow

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


def _key(ctx: Context):
    e = ctx.event
    return (
        Conversation.platform == e.platform,
        Conversation.chat_id == e.chat_id,
        Conversation.user_id == e.user_id,
    )


def conversation_key(event: Event) -> tuple[str, str, str]:
    return (event.platform, event.chat_id, event.user_id)


async def read_conversations(session, keys: set[tuple[str, str, str]]) -> dict:
    """The open conversations among `keys` (platform, chat, user), in one query; absent ones map to None."""
    if not keys:
        return {}
    columns = (Conversation.platform, Conversation.chat_id, Conversation.user_id)
    query = select(Conversation).where(tuple_(*columns).in_(sorted(keys)))
    found = {(c.platform, c.chat_id, c.user_id): c for c in (await session.exec(query)).all()}
    return {key: found.get(key) for key in keys}


def _known(ctx: Context) -> dict | None:
    """The batch's conversations, which this module keeps in step with what it writes."""
    preloaded = ctx.preloaded
    return preloaded.conversations if preloaded is not None and preloaded.valid else None


async def load(ctx: Context) -> tuple[Conversation | None, bool]:
    """The open conversation, and whether one had expired (it is then removed, nothing kept)."""
    known, key = _known(ctx), conversation_key(ctx.event)
    if known is not None and key in known:
        conversation = known[key]
    else:
        conversation = (await ctx.session.exec(select(Conversation).where(*_key(ctx)))).first()
    if conversation is None:
        return None, False
    if conversation.expires_at <= utcnow():
        await end(ctx)
        return None, conversation.flow != MENU
    return conversation, False


async def start(ctx: Context, flow: str, step: str, data: dict) -> None:
    """Open a flow (replacing any other open one for this user in this chat)."""
    await end(ctx)
    e = ctx.event
    expires_at = utcnow() + timedelta(minutes=ctx.settings.conversation_minutes)
    conversation = _ended_unwritten(ctx)
    if conversation is not None:
        # Ended earlier in this batch, its DELETE not yet written: take the row back, or the flush
        # would insert the new row (same key) before deleting the old one.
        ctx.session.expunge(conversation)
        ctx.session.add(conversation)
        conversation.flow, conversation.step, conversation.data = flow, step, data
        conversation.expires_at, conversation.updated_at = expires_at, utcnow()
    else:
        conversation = Conversation(
            platform=e.platform,
            chat_id=e.chat_id,
            user_id=e.user_id,
            flow=flow,
            step=step,
            data=data,
            expires_at=expires_at,
        )
        ctx.session.add(conversation)  # written with the next flush, batched with others' changes
    known = _known(ctx)
    if known is not None:
        known[conversation_key(e)] = conversation


def _ended_unwritten(ctx: Context) -> Conversation | None:
    key = conversation_key(ctx.event)
    for row in ctx.session.deleted:
        if isinstance(row, Conversation) and (row.platform, row.chat_id, row.user_id) == key:
            return row
    return None


async def save(ctx: Context, conversation: Conversation, step: str, data: dict) -> None:
    conversation.step = step
    conversation.data = dict(data)  # a new dict, so the JSON column is seen as changed
    conversation.updated_at = utcnow()
    conversation.expires_at = utcnow() + timedelta(minutes=ctx.settings.conversation_minutes)
    ctx.session.add(conversation)


async def end(ctx: Context) -> None:
    """Close the user's open conversation. In a batch that knows it, its row goes with the batch's
    next flush (one DELETE for all); otherwise it is deleted now."""
    known, key = _known(ctx), conversation_key(ctx.event)
    if known is None or key not in known:
        await ctx.session.exec(delete(Conversation).where(*_key(ctx)))
    elif known[key] in ctx.session.new:  # started in this batch, never written
        ctx.session.expunge(known[key])
    elif known[key] is not None:
        await ctx.session.delete(known[key])
    if known is not None:
        known[key] = None


async def remember_choices(ctx: Context, replies: list[Reply]) -> None:
    """Store the last offered choices, so a typed number picks one on channels without buttons."""
    offered = [
        c.data for r in replies if r.chat_id is None and r.private_to is None for c in r.choices
    ]
    if not offered:
        return
    conversation, _ = await load(ctx)
    if conversation is None:
        await start(ctx, MENU, "choose", {})
        conversation, _ = await load(ctx)
    await save(ctx, conversation, conversation.step, {**conversation.data, "choices": offered})
