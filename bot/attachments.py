"""Files the bot makes (charts, workbooks), stored for any process to send, as reply attachments.

matplotlib and openpyxl take a third of a second a file: drawn on the event loop inside the
update's transaction, they stalled every other member's answer and held the database. So a handler
or a job only reads the figures and calls `render_attachment`, which names the file and queues
the drawing on the transaction. Whoever commits it writes the files' rows empty
(`reserve_renders`, just before the commit), then hands the queue to `draw_renders`: the files are
drawn in a worker process (`start_drawing`, bot.workers; a worker thread if none was started),
outside any transaction, and written in a short transaction of their own. A send that finds its
file not drawn yet is retried by the sender ("media not drawn yet"). Identical drawings (the same
function and figures, to the minute the workbook prints) are drawn once (`RenderCache`).
"""

import asyncio
import hashlib
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, fields, replace
from datetime import datetime
from functools import partial

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.replies import Attachment
from bot.metrics import RENDER_SECONDS
from bot.render.drawing import warm_up
from bot.workers import Workers, processes
from db.media import StoredMedia, fill_media, new_media_id, reserve_media, store_media
from db.session import held, session_scope, take_held

log = logging.getLogger(__name__)

RENDERS = "renders"  # the transaction's queue of drawings (db.session.held)


@dataclass(frozen=True)
class Render:
    """A file to draw after the commit: `draw(data)` gives the bytes of `file`, whose media row
    `reserve_renders` writes empty, kept `hours`."""

    file: StoredMedia
    draw: Callable[[object], bytes]
    data: object
    hours: int = 24


async def store_attachment(
    session: AsyncSession, *, data: bytes, content_type: str, filename: str, hours: int = 24
) -> Attachment:
    """Save the bytes in the media table (kept `hours`) and name them for a Reply."""
    stored = await store_media(
        session, data=data, content_type=content_type, filename=filename, hours=hours
    )
    return Attachment(stored.media_id, stored.filename, stored.content_type)


async def render_attachment(
    session: AsyncSession,
    *,
    draw: Callable,
    data: object,
    content_type: str,
    filename: str,
    hours: int = 24,
) -> Attachment:
    """Name a file for a Reply now, to be drawn as `draw(data)` once the transaction commits.
    Nothing is written yet, so a read-only transaction may ask for files too (`reserve_renders`
    writes their rows)."""
    file = StoredMedia(new_media_id(), filename, content_type)
    held(session, RENDERS, list).append(Render(file, draw, data, hours))
    return Attachment(file.media_id, filename, content_type)


def queued_renders(session: AsyncSession) -> int:
    """How many drawings the transaction has queued so far."""
    return len(held(session, RENDERS, list))


async def reserve_renders(session: AsyncSession) -> list[Render]:
    """The drawings the transaction queued, their files' rows written empty (so a send that comes
    first finds the file not drawn yet); call just before the commit, then `draw_renders`."""
    renders = take_held(session, RENDERS) or []
    await reserve_media(session, [r.file for r in renders], hours=[r.hours for r in renders])
    return renders


async def draw_renders(renders: list[Render], *, session_factory=session_scope) -> None:
    """Draw the files off the event loop, then store them in a transaction of their own. A file
    that fails to draw or to be stored is logged and stays empty: its send is retried, then
    given up."""
    if not renders:
        return
    drawn: dict[str, bytes] = {}
    for render in renders:
        try:
            drawn[render.file.media_id] = await RENDER_CACHE.draw(render.draw, render.data)
        except Exception:
            log.exception("drawing %s failed", render.file.media_id)
    try:
        async with session_factory() as session:
            await fill_media(session, data=drawn)
            await session.commit()
    except Exception:  # the update is committed: its answer must still go; the files' sends fail
        log.exception("storing %d drawn files failed", len(drawn))


class RenderCache:
    """Drawings by what they are drawn from, the last `size` of them, each drawn once even when
    asked for by ten officials at the same moment (they wait for the one drawing).

    `workers` (bot.workers; a thread until `start_drawing`) draw them.
    """

    def __init__(self, workers: Workers, *, size: int = 32) -> None:
        self.workers = workers
        self.size = size
        self._done: OrderedDict[str, asyncio.Future] = OrderedDict()

    async def draw(self, draw: Callable[[object], bytes], data: object) -> bytes:
        key = render_key(draw, data)
        future = self._done.get(key)
        if future is None or (future.done() and future.exception() is not None):
            future = asyncio.ensure_future(self._run(draw, data))
            self._done[key] = future
            while len(self._done) > self.size:
                self._done.popitem(last=False)
        self._done.move_to_end(key)
        return await asyncio.shield(future)

    async def _run(self, draw: Callable[[object], bytes], data: object) -> bytes:
        """`draw(data)` by the workers; a drawing process sends its time back for the metrics."""
        if not self.workers.in_processes:
            return await self.workers.run(draw, data)
        drawn, seconds = await self.workers.run(timed_draw, draw, data)
        kind = getattr(draw, "render_kind", None)  # bot.render's drawings say which they are
        if kind is not None:
            RENDER_SECONDS.labels(kind).observe(seconds)
        return drawn


def timed_draw(draw: Callable[[object], bytes], data: object) -> tuple[bytes, float]:
    """In a drawing process (whose own metrics are never scraped): the file and its seconds."""
    started = time.perf_counter()
    return draw(data), time.perf_counter() - started


def render_key(draw: Callable, data: object) -> str:
    """What a drawing depends on: the function and the figures; of the moment they were read
    (`made_at`), only the minute the workbook prints."""
    names = {f.name for f in fields(data)} if hasattr(data, "__dataclass_fields__") else set()
    made_at = getattr(data, "made_at", None)
    if "made_at" in names and isinstance(made_at, datetime):
        data = replace(data, made_at=made_at.replace(second=0, microsecond=0))
    text = f"{draw.__module__}.{draw.__qualname__}:{data!r}"
    return hashlib.sha256(text.encode()).hexdigest()


def drawing_thread() -> Executor:
    """One worker thread: files are drawn one at a time, beside the event loop, never on it.
    matplotlib holds the GIL much of the time it draws, so the loop still waits: the service
    draws in processes (`start_drawing`); tests and one-off commands use this."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="render")


async def start_drawing(count: int) -> None:
    """At service start: draw in `count` worker processes (0: keep the worker thread), each
    started and warmed up now, so the first chart does not wait seconds for matplotlib."""
    if count > 0:
        await RENDER_CACHE.workers.start(partial(processes, count), warm_up, count)


async def stop_drawing() -> None:
    """At service stop: the drawing processes finish what they draw and end; a later drawing
    (none is expected) would go to a thread."""
    await RENDER_CACHE.workers.stop(drawing_thread)


RENDER_CACHE = RenderCache(Workers(drawing_thread))
