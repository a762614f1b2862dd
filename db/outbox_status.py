"""How far given outbox rows have got: for callers that send rows now and wait (the CLI, the web
chat's job buttons). Never commits."""

from datetime import datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import Outbox


async def row_states(session: AsyncSession, *, ids: list[int]) -> list[tuple[str, datetime]]:
    """(status, next attempt) of each of these rows."""
    query = select(Outbox.status, Outbox.next_attempt_at).where(Outbox.id.in_(ids))
    return list((await session.exec(query)).all())


async def due_ids(session: AsyncSession, *, ids: list[int], now: datetime) -> list[int]:
    """Those of these rows planned for `now` or earlier (not held for quiet hours)."""
    query = select(Outbox.id).where(Outbox.id.in_(ids), Outbox.next_attempt_at <= now)
    return list((await session.exec(query)).all())
