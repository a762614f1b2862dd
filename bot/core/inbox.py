"""One update, one transaction: the dedupe record, its effects and its outgoing replies commit together."""

import logging
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from bot import texts
from bot.config import Settings
from bot.core.events import Event
from bot.core.replies import Capabilities, Reply
from bot.core.router import handle
from db.models import ProcessedUpdate
from db.session import session_scope
from scheduler.outbox import INTERACTIVE, enqueue

log = logging.getLogger(__name__)


async def process(event: Event, *, capabilities: Capabilities, settings: Settings) -> list[int]:
    """Handle an event once; returns the outbox ids to deliver now (none for a repeated delivery).

    Replies to the chat that wrote are stored claimed, for this process's `Sender.deliver`.
    """
    now = datetime.now(settings.zone)
    try:
        async with session_scope() as session:
            if not await _first_delivery(session, event):
                return []
            replies = await handle(
                session, event, capabilities=capabilities, settings=settings, now=now
            )
            ids = await _enqueue_all(session, event, replies)
            await session.commit()
            return ids
    except IntegrityError:
        return []  # a concurrent delivery of the same update won the race
    except Exception:
        log.exception("update %s:%s failed", event.platform, event.update_key)
        async with session_scope() as session:
            if not await _first_delivery(session, event):
                return []
            ids = await _enqueue_all(session, event, [Reply(texts.ERROR_TRY_AGAIN)])
            await session.commit()
            return ids


async def _first_delivery(session, event: Event) -> bool:
    session.add(ProcessedUpdate(platform=event.platform, update_id=event.update_key))
    try:
        await session.flush()
    except IntegrityError:
        await session.rollback()
        return False
    return True


async def _enqueue_all(session, event: Event, replies: list[Reply]) -> list[int]:
    ids = []
    for reply in replies:
        platform, chat_id, is_group = event.platform, event.chat_id, not event.is_private
        answer = not reply.private_to and not reply.chat_id  # to the chat that wrote: reachable
        if reply.private_to:
            platform, chat_id = reply.private_to.split(":", 1)
            is_group = False
        elif reply.chat_id:
            chat_id = reply.chat_id
        row_id = await enqueue(
            session,
            platform=platform,
            chat_id=chat_id,
            reply=reply,
            is_group=is_group,
            priority=INTERACTIVE,
            claimed=answer,
        )
        if row_id is not None:
            ids.append(row_id)
    return ids
