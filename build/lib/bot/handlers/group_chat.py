"""What happens to a group chat itself, with no command: it changes its id, the bot is added to
it or removed from it. These events come from the platform, not from a person's words."""

from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.core.events import Event
from bot.core.replies import Reply
from db.chat_moves import group_linked, move_group, set_group_reachable
from db.models import utcnow
from db.reports import write_reports


def about_the_chat(event: Event) -> bool:
    """Whether the event is about the chat rather than a message in it."""
    return event.moved_from is not None or event.bot_joined is not None


async def chat_changed(session: AsyncSession, event: Event) -> list[Reply]:
    """Follow a group that moved; greet a group that added the bot (unless it is linked); stop
    sending to a group that removed it."""
    await write_reports(session)  # what the batch queued goes in before group rows change
    where = {"platform": event.platform, "chat_id": event.chat_id}
    if event.moved_from is not None:
        await move_group(
            session,
            platform=event.platform,
            old_chat_id=event.moved_from,
            new_chat_id=event.chat_id,
        )
        return []
    if not event.bot_joined:
        await set_group_reachable(session, **where, unreachable_at=utcnow())
        return []
    await set_group_reachable(session, **where, unreachable_at=None)
    return [] if await group_linked(session, **where) else [Reply(texts.BOT_ADDED_TO_GROUP)]
