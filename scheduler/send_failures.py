"""What a failed send does to its row, by the neutral error's kind: retried after a backoff (the
platform's own wait when it throttles), given up, closed with its destination, or moved with a
chat that changed its id."""

import logging
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.channel import SendError, SendFailure
from db import outbox
from db.chat_moves import move_group
from db.outbox import FAILED, PENDING, UNREACHABLE, Row
from db.rate_slots import chat_slot, hold_slot

log = logging.getLogger(__name__)

MAX_BACKOFF = 60.0
DEFAULT_RETRY_AFTER = 1.0


async def record_failure(
    session: AsyncSession, row: Row, error: SendError, *, now: datetime, max_attempts: int
) -> None:
    """Reschedule, give up, or close the destination, in the caller's transaction."""
    if error.kind == SendFailure.MOVED and error.moved_to not in (None, row.chat_id):
        await _moved(session, row, error.moved_to, now)
        return
    attempts = row.attempts + 1
    status, retry_in = outcome(error, attempts, max_attempts=max_attempts)
    log.warning("outbox %s to %s:%s: %s → %s", row.id, row.platform, row.chat_id, error, status)
    values = {"status": status, "attempts": attempts, "last_error": str(error)[:200]}
    if retry_in is not None:
        values["next_attempt_at"] = now + timedelta(seconds=retry_in)
    await outbox.set_row(session, row, **values)
    if status == UNREACHABLE:
        await outbox.mark_unreachable(session, row, at=now)
    if error.kind == SendFailure.THROTTLED and retry_in is not None:
        # the chat's later messages wait too; other chats go on (a bot-wide excess is
        # kept away by the bot's own rate slot and Pace, so a 429 is about one chat)
        until = values["next_attempt_at"]
        await hold_slot(session, chat_slot(row.platform, row.chat_id), until, now)


async def _moved(session: AsyncSession, row: Row, new_chat_id: str, now: datetime) -> None:
    """The chat changed its id: its link, slot and waiting rows move, and this row is sent
    again there at the next round."""
    log.warning("outbox %s: %s:%s moved to %s", row.id, row.platform, row.chat_id, new_chat_id)
    await move_group(
        session, platform=row.platform, old_chat_id=row.chat_id, new_chat_id=new_chat_id
    )
    await outbox.set_row(session, row, chat_id=new_chat_id, status=PENDING, next_attempt_at=now)


def outcome(error: SendError, attempts: int, *, max_attempts: int) -> tuple[str, float | None]:
    """The row's next status and, when it is retried, in how many seconds."""
    if not error.kind.retryable:
        return (UNREACHABLE if error.kind == SendFailure.UNREACHABLE else FAILED), None
    if error.kind == SendFailure.THROTTLED:  # the platform said how long: more patience
        if attempts < max_attempts * 3:
            return PENDING, error.retry_after or DEFAULT_RETRY_AFTER
    elif attempts < max_attempts:
        return PENDING, min(MAX_BACKOFF, 2.0 ** (attempts - 1))
    return FAILED, None
