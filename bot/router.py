"""Event in, replies out: a command, the next step of an open flow, or a plain line of text."""

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.conversations import FLOWS, report_visit, retract_report
from bot.core import state
from bot.core.channel import Capabilities
from bot.core.context import Context, Preloaded, load_sender
from bot.core.events import Event, parse_command
from bot.core.replies import Reply
from bot.core.state import MENU, Answer
from bot.handlers import COMMANDS
from bot.handlers.group_chat import about_the_chat, chat_changed
from bot.handlers.report import edit_quick_report, group_post, plain_text
from bot.words import label_words
from config import Settings
from db.reports import write_reports

MAX_MESSAGE = 2000  # any message; a report line is capped lower (bot.quick_report.MAX_TEXT)
# Commands and flows that change only reports and conversations, never people, memberships, group
# links or indicators: a batch's preloaded reads stay true across them. Any other may read or move
# reports, so the reports the batch has queued are written before it runs (db.reports).
REPORTING = {
    *("bc", "ghinhan", "huy", "sua", "toi", "huongdan", "help"),
    *(report_visit.FLOW, retract_report.FLOW),
}
# Read-only answers: a flow open when one of these comes stays where it was.
KEEPS_FLOW = {"toi", "huongdan", "help"}
# Answers that read many units' reports and write nothing: the inbox runs them in a read-only
# transaction of their own beside the quick batches (bot.reading), so a member's
# quick report never waits for one. /chitieu also sets targets: not here.
READS_MANY = {"baocao", "tiendo", "bangxephang"}


def reads_many(event: Event) -> bool:
    """A summary, progress or leaderboard command, typed or pressed as a button."""
    command = parse_command(event.choice) if event.choice else event.command
    return command is not None and command[0] in READS_MANY


async def handle(
    session: AsyncSession,
    event: Event,
    *,
    capabilities: Capabilities,
    settings: Settings,
    now: datetime,
    preloaded: Preloaded | None = None,
) -> list[Reply]:
    """Everything a message does, inside the caller's transaction.

    `preloaded` holds what a batch read for all its events; it is forgotten after an event that
    is not plain reporting, since that may change what the batch read (see `REPORTING`).
    """
    if about_the_chat(event):  # moved, bot added or removed: group rows change
        if preloaded is not None:
            preloaded.forget()
        return await chat_changed(session, event)
    if event.unreadable:  # a sticker, a voice message: say once what the bot reads
        return [Reply(texts.ONLY_TEXT_AND_PHOTOS)] if event.is_private else []
    if event.anonymous:  # no person to act for: say how to be one
        return [Reply(texts.ANONYMOUS_SENDER)] if event.command else []
    if event.forwarded:  # someone else's words: never a report, never a command of the forwarder
        return [Reply(texts.FORWARDED_NOT_REPORT)] if event.is_private else []
    ctx = Context(
        session=session, event=event, settings=settings, capabilities=capabilities, now=now
    )
    if preloaded is not None and preloaded.valid:
        ctx.preloaded, ctx.memo = preloaded, preloaded.memo
    await load_sender(ctx)
    conversation, expired = await state.load(ctx)
    replies, reporting = await _route(ctx, conversation, expired)
    await state.remember_choices(ctx, replies)
    if preloaded is not None and not reporting:
        preloaded.forget()
    return replies


async def _route(ctx: Context, conversation, expired: bool) -> tuple[list[Reply], bool]:
    """The replies, and whether the event stayed within REPORTING."""
    event = ctx.event
    if event.edited:  # only a report's correction counts; other edits change nothing
        command = event.command
        if command is None or command[0] != "bc" or event.forwarded:
            return [], True
        return await edit_quick_report(ctx, command[1]), True
    choice = event.choice
    text = event.text.strip()
    offered = conversation.data.get("choices", []) if conversation else []
    if choice is None and offered and text.isdigit():
        number = int(text)
        if not 1 <= number <= len(offered):
            return [Reply(texts.NUMBER_OUT_OF_RANGE.format(count=len(offered)))], True
        choice = offered[number - 1]
    elif choice is None and offered and text:
        choice = _typed_choice(text, offered, conversation.data.get("labels", []))
    if choice is not None and not choice.startswith("/") and choice not in offered:
        # a button from an expired flow, an older message, or someone else's
        stale = texts.STALE_BUTTON if event.is_private else texts.STALE_BUTTON_GROUP
        notice = ctx.capabilities.press_notices and event.choice is not None
        return [Reply(texts.SESSION_EXPIRED if expired else stale, notice=notice)], True
    command = parse_command(choice) if choice else event.command
    if len(text) > MAX_MESSAGE:
        return [Reply(texts.TOO_LONG)], True
    if command is not None:
        return await _command(ctx, conversation, *command), command[0] in REPORTING
    if choice == "cancel":
        await state.end(ctx)
        return [Reply(texts.FLOW_CANCELLED)], True
    if conversation is not None and conversation.flow != MENU:
        answer = Answer(text, choice, event.photo_ref, event.contact_phone)
        return await _step(ctx, conversation, answer), conversation.flow in REPORTING
    if expired and event.is_private:
        return [Reply(texts.SESSION_EXPIRED)], True
    if event.is_private and text:
        if conversation is not None:
            await state.end(ctx)
        return await plain_text(ctx, text), True
    if text and not event.is_private and conversation is None:
        return await group_post(ctx, text), True  # a report posted as members post them
    return [], True


def _typed_choice(text: str, offered: list[str], labels: list[str]) -> str | None:
    """The choice whose label was typed instead of pressed ("lưu", "xong", "hôm qua"): on Zalo
    every menu is typed. A few everyday words stand for the label they mean."""
    typed = label_words(text)
    typed = texts.SAME_AS.get(typed, typed)
    return next(
        (data for data, label in zip(offered, labels, strict=False) if label == typed), None
    )


async def _command(ctx: Context, conversation, name: str, args: str) -> list[Reply]:
    """A command ends an open flow and says so, except the read-only ones (KEEPS_FLOW) and a
    mistyped one; /huy inside a flow cancels the flow, not a report."""
    handler = COMMANDS.get(name)
    in_flow = conversation is not None and conversation.flow != MENU
    keeps = in_flow and (name in KEEPS_FLOW or handler is None)
    if conversation is not None and not keeps:
        await state.end(ctx)
        if in_flow and name == "huy":
            return [Reply(texts.FLOW_CANCELLED)]
    if handler is None:
        return [Reply(texts.UNKNOWN_COMMAND.format(name=name))] if ctx.event.is_private else []
    if name not in REPORTING:
        await write_reports(ctx.session)
    replies = await handler(ctx, args)
    if keeps:
        return [*replies, Reply(texts.FLOW_STILL_OPEN)]
    return [Reply(texts.FLOW_ABANDONED), *replies] if in_flow else replies


async def _step(ctx: Context, conversation, answer: Answer) -> list[Reply]:
    steps = FLOWS[conversation.flow]
    data = {k: v for k, v in conversation.data.items() if k not in ("choices", "labels")}
    if conversation.flow not in REPORTING:
        await write_reports(ctx.session)
    result = await steps[conversation.step](ctx, data, answer)
    if result.next is None:
        await state.end(ctx)
    else:
        await state.save(ctx, conversation, result.next, data)
    return result.replies
