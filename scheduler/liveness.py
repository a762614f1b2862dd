"""Which sender processes are alive, and what happens to the rows of one that stopped.

Each process names itself (Settings.instance) on the rows it holds `sending` and records every
BEAT when it was last alive, with every send finished before then recorded `sent`. When it stops
without finishing (kill -9), its rows are settled by the row's planned time: planned later than
its last beat plus SETTLE_MARGIN, the call never started, and the row goes back to pending; planned
earlier, the platform may have it, and the row is marked `unknown` rather than sent twice. The
process does that for its own rows on start, before it serves; another process does it once the
stopped one has been silent for STALE. docs/architecture.md states the window exactly.
"""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from db import outbox

log = logging.getLogger(__name__)

STALE = timedelta(minutes=5)
BEAT = 1.0  # seconds between records that this process is alive (`Sender.beat`)
SETTLE_MARGIN = timedelta(seconds=BEAT + 2)  # a beat's interval, and a late event loop's slack


async def settle(
    session: AsyncSession,
    owner: str,
    alive_at: datetime | None,
    *,
    clock: Callable[[], datetime],
    before: datetime,
) -> None:
    """A stopped process's rows stored before `before`: resumed if never attempted, else marked
    unknown. With no beat on record every row of it counts as possibly sent."""
    sent_by = (alive_at or clock()) + SETTLE_MARGIN
    resumed, unknown = await outbox.settle_owner(
        session, owner=owner, sent_by=sent_by, now=clock(), before=before
    )
    if resumed or unknown:
        log.warning(
            "outbox: %s stopped while sending: %d rows resumed, %d marked unknown",
            owner,
            resumed,
            unknown,
        )


async def settle_gone(
    session: AsyncSession, *, me: str, at: datetime, clock: Callable[[], datetime]
) -> None:
    """Settle the rows, stored before `at`, of every other process silent for STALE by then."""
    for owner, alive_at in await outbox.gone_owners(session, before=at - STALE):
        if owner != me:
            await settle(session, owner, alive_at, clock=clock, before=at)


async def beat_forever(beat: Callable[[], Awaitable[None]], stop: asyncio.Event) -> None:
    """Call `beat` every BEAT seconds until `stop` is set."""
    while not stop.is_set():
        try:
            await beat()
        except Exception as error:  # the database is away: the next beat tries again
            log.warning("outbox: heartbeat failed: %s", type(error).__name__)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), BEAT)
