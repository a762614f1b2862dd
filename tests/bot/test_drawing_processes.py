"""The service draws charts and workbooks in a process of its own, started and warmed up with the
service and ended with it (bot.attachments.start_drawing), so matplotlib never holds the GIL of
the process that answers members."""

import os
import signal
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from functools import partial

import pytest
from prometheus_client import REGISTRY

from bot.attachments import RENDER_CACHE, RenderCache, drawing_thread
from bot.core.events import ChatKind, Event
from bot.inbox import Inbox
from bot.workers import Workers, processes
from config import Settings
from db.media import live_media
from db.session import session_scope
from tests.bot.dialogue import BUTTONS, OFFICIAL, PLATFORM, commune
from tests.helpers import running_service

pytestmark = pytest.mark.usefixtures("fixed_clock")  # the inbox reads the clock


def where_drawn(_figures) -> bytes:
    """A drawing that says which process drew it (module-level: a drawing process imports it)."""
    return str(os.getpid()).encode()


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def charts_drawn() -> float:
    return REGISTRY.get_sample_value("tcn_render_seconds_count", {"kind": "chart"}) or 0


async def test_the_service_draws_in_a_process_it_starts_and_ends_with_it(db):
    await commune()
    settings = Settings(_env_file=None, render_processes=1)
    async with running_service(settings):
        assert isinstance(RENDER_CACHE.workers.executor, ProcessPoolExecutor)
        worker = int(await RENDER_CACHE.draw(where_drawn, "where"))
        here = os.getpriority(os.PRIO_PROCESS, 0)
        assert os.getpriority(os.PRIO_PROCESS, worker) == min(here + 10, 19)  # answers go first
        before = charts_drawn()
        request = Event(
            platform=PLATFORM,
            chat_id=OFFICIAL,
            chat_kind=ChatKind.PRIVATE,
            user_id=OFFICIAL,
            display_name="Phạm Cán Bộ",
            update_key="chart-in-a-process",
            text="/baocao png",
        )
        [claim] = (await Inbox(settings).submit(request, BUTTONS)).answers
        async with session_scope() as session:
            media = await live_media(session, media_id=claim.row.payload["image"]["media_id"])
        assert media.data.startswith(b"\x89PNG")  # the real figures went there and back
        assert charts_drawn() == before + 1  # its time is counted where /metrics is read
    assert worker != os.getpid()
    assert gone(worker)  # the service's stop ended it
    assert isinstance(RENDER_CACHE.workers.executor, ThreadPoolExecutor)


async def test_a_drawing_process_that_dies_is_replaced():
    cache = RenderCache(Workers(partial(processes, 1)))
    try:
        first = int(await cache.draw(where_drawn, "first"))
        os.kill(first, signal.SIGKILL)  # as the kernel does to a process out of memory
        second = int(await cache.draw(where_drawn, "second"))  # drawn all the same
        assert second not in (first, os.getpid())
    finally:
        await cache.workers.stop(drawing_thread)
