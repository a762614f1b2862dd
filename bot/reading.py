"""Summaries and leaderboards (`bot.router.reads_many`), read aside from the event loop.

One takes 15–60 ms of Python (result rows, ranking) between its queries; on the service's event
loop, a member's answer that arrived meanwhile waited for it (bench/latency.py). So the handler
runs in a read-only transaction on a connection of its own (db.session.read_scope), in a reading
process (`start_reading`, bot.workers) when the service has started one, else on this loop. Its
batch (bot.batch) then records the event and writes its replies and what it queued (an open menu,
its files' rows). A repeat delivery, or a sender past the flood limit, drops what was read.
"""

import asyncio
import traceback
from datetime import datetime
from functools import partial

from bot.batch import Delivery, Item, Read, Unavailable, event_ids, preload, run_alone
from bot.core.channel import Capabilities
from bot.core.events import Event
from bot.router import handle
from bot.workers import Workers, processes
from config import Settings
from db.session import is_unavailable, read_scope, take_all_held

READERS = Workers()  # none until `start_reading`: the handler runs on this process's loop
_loop: asyncio.AbstractEventLoop | None = None  # a reading process's own loop, kept for its engine


class ReadFailed(Exception):
    """The handler failed in a reading process: its traceback, as text (a process sends back
    an exception without its chain)."""


async def process_reading(item: Item, *, settings: Settings) -> Delivery | Exception:
    """Read the event aside, then record it and write its replies in a batch of its own; a
    failed read is recorded with the error reply, as a failed batch is. Unavailable if the
    database is."""
    now = datetime.now(settings.zone)
    event, capabilities = item.event, item.capabilities
    try:
        if READERS.executor is None:
            read = await read_here(event, capabilities, settings=settings, now=now)
        else:
            read = await READERS.run(read_in_process, event, capabilities, settings, now)
    except Unavailable:
        raise
    except Exception as error:
        if is_unavailable(error):
            raise Unavailable(type(error).__name__) from error
        return await run_alone(item, settings=settings, failed=error)
    return await run_alone(item, settings=settings, read=read)


async def read_here(
    event: Event, capabilities: Capabilities, *, settings: Settings, now: datetime
) -> Read:
    """The handler in a read-only transaction: its replies and the writes it queued."""
    async with read_scope(settings.effective_database_url) as reading:
        preloaded = await preload(reading, [event], today=now.date(), day_reports=False)
        with event_ids(event):
            replies = await handle(
                reading,
                event,
                capabilities=capabilities,
                settings=settings,
                now=now,
                preloaded=preloaded,
            )
        return Read(now, replies, take_all_held(reading))


def read_in_process(
    event: Event, capabilities: Capabilities, settings: Settings, now: datetime
) -> Read:
    """In a reading process, on its own loop (its connections belong to it)."""
    try:
        return _loop.run_until_complete(read_here(event, capabilities, settings=settings, now=now))
    except Exception as error:
        if is_unavailable(error):
            raise Unavailable(type(error).__name__) from None
        raise ReadFailed(traceback.format_exc()) from None


def _start_reader() -> None:
    global _loop
    _loop = asyncio.new_event_loop()
    asyncio.set_event_loop(_loop)


def ready() -> bool:
    """A reading process's warm-up: its imports are done when this runs."""
    return True


async def start_reading(count: int) -> None:
    """At service start: read in `count` processes (0: on the service's loop), started now."""
    if count > 0:
        await READERS.start(partial(processes, count, _start_reader), ready, count)


async def stop_reading() -> None:
    """At service stop: the reading processes finish and end; later reads run on the loop."""
    await READERS.stop()
