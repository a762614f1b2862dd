"""Files the bot makes (charts, workbooks), stored for any process to send, as reply attachments.

matplotlib and openpyxl take a third of a second a file: drawn on the event loop inside the
update's transaction, they stalled every other member's answer and held the database. So a handler
or a job only reads the figures and calls `render_attachment`, which reserves the file's media row
(no bytes yet) and queues the drawing on the transaction. Whoever commits it then hands the queue
to `draw_renders` (`take_renders` just before the commit): the files are drawn in a worker thread,
outside any transaction, and written in a short transaction of their own. A send that finds its
file not drawn yet is retried by the sender ("media not drawn yet"). Identical drawings (the same
function and figures, to the minute the workbook prints) are drawn once (`RenderCache`).
"""

import asyncio
import hashlib
import logging
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, fields, replace
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.core.replies import Attachment
from db.media import fill_media, store_media
from db.session import held, session_scope, take_held

log = logging.getLogger(__name__)

RENDERS = "renders"  # the transaction's queue of drawings (db.session.held)


@dataclass(frozen=True)
class Render:
    """A file to draw after the commit: `draw(data)` gives the bytes of media row `media_id`."""

    media_id: str
    draw: Callable[[object], bytes]
    data: object


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
    """Name a file for a Reply now, to be drawn as `draw(data)` once the transaction commits."""
    attachment = await store_attachment(
        session, data=b"", content_type=content_type, filename=filename, hours=hours
    )
    held(session, RENDERS, list).append(Render(attachment.media_id, draw, data))
    return attachment


def queued_renders(session: AsyncSession) -> int:
    """How many drawings the transaction has queued so far."""
    return len(held(session, RENDERS, list))


def take_renders(session: AsyncSession) -> list[Render]:
    """The drawings the transaction queued; call just before its commit, then `draw_renders`."""
    return take_held(session, RENDERS) or []


async def draw_renders(renders: list[Render], *, session_factory=session_scope) -> None:
    """Draw the files off the event loop, then store them in a transaction of their own. A file
    that fails to draw or to be stored is logged and stays empty: its send is retried, then
    given up."""
    if not renders:
        return
    drawn: dict[str, bytes] = {}
    for render in renders:
        try:
            drawn[render.media_id] = await RENDER_CACHE.draw(render.draw, render.data)
        except Exception:
            log.exception("drawing %s failed", render.media_id)
    try:
        async with session_factory() as session:
            await fill_media(session, data=drawn)
            await session.commit()
    except Exception:  # the update is committed: its answer must still go; the files' sends fail
        log.exception("storing %d drawn files failed", len(drawn))


class RenderCache:
    """Drawings by what they are drawn from, the last `size` of them, each drawn once even when
    asked for by ten officials at the same moment (they wait for the one drawing).

    `executor` (made by `make_executor` at the first drawing) runs them.
    """

    def __init__(
        self, executor: Executor | None = None, *, make_executor=None, size: int = 32
    ) -> None:
        self._executor = executor
        self.make_executor = make_executor
        self.size = size
        self._done: OrderedDict[str, asyncio.Future] = OrderedDict()

    @property
    def executor(self) -> Executor:
        if self._executor is None:
            self._executor = self.make_executor()
        return self._executor

    @executor.setter
    def executor(self, executor: Executor) -> None:
        self._executor = executor

    async def draw(self, draw: Callable[[object], bytes], data: object) -> bytes:
        key = render_key(draw, data)
        future = self._done.get(key)
        if future is None or (future.done() and future.exception() is not None):
            loop = asyncio.get_running_loop()
            future = asyncio.ensure_future(loop.run_in_executor(self.executor, draw, data))
            self._done[key] = future
            while len(self._done) > self.size:
                self._done.popitem(last=False)
        self._done.move_to_end(key)
        return await asyncio.shield(future)


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
    (matplotlib still holds the GIL much of the time it draws: see docs/performance.md.)"""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="render")


RENDER_CACHE = RenderCache(make_executor=drawing_thread)
