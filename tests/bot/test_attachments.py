"""Charts and workbooks are drawn after the update's transaction commits, in a worker thread
while the event loop goes on, and identical ones are drawn once (bot.attachments)."""

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from functools import partial

import pytest
from sqlalchemy import func
from sqlmodel import select

import bot.handlers.summary as summary_handlers
from bot.attachments import RENDER_CACHE, RenderCache, render_key
from bot.core.events import ChatKind, Event
from bot.inbox import Inbox
from bot.render.chart import progress_chart
from bot.workers import Workers
from config import get_settings
from db.media import live_media
from db.models import Media
from db.session import session_scope
from tests.bot.dialogue import BUTTONS, OFFICIAL, PLATFORM, Dialogue, commune

pytestmark = pytest.mark.usefixtures("fixed_clock")  # the inbox reads the clock


@pytest.fixture(autouse=True)
def drawing_thread(monkeypatch):
    """The drawings in a worker thread rather than the service's process, so a test's own drawing
    function (not importable by another process) can watch."""
    with ThreadPoolExecutor(max_workers=1) as executor:
        monkeypatch.setattr(RENDER_CACHE.workers, "executor", executor)
        yield


def chart_request(key: str) -> Event:
    return Event(
        platform=PLATFORM,
        chat_id=OFFICIAL,
        chat_kind=ChatKind.PRIVATE,
        user_id=OFFICIAL,
        display_name="Phạm Cán Bộ",
        update_key=key,
        text="/baocao png",
    )


async def reserved_files() -> int:
    """Files reserved by committed transactions and not drawn yet, as another session sees them."""
    async with session_scope() as session:
        return (await session.exec(select(func.count()).where(Media.data == b""))).one()


async def test_a_chart_is_drawn_after_the_commit_while_the_event_loop_goes_on(db, monkeypatch):
    await commune()
    await Dialogue().say("u-binh", "/bc vneid 3")
    loop = asyncio.get_running_loop()
    seen = []

    def drawing(summary):
        # The loop answers a query while this runs: it is not blocked, and the update's
        # transaction has committed (another session sees the file reserved, empty).
        reserved = asyncio.run_coroutine_threadsafe(reserved_files(), loop).result(timeout=30)
        seen.append((threading.current_thread() is threading.main_thread(), reserved))
        return progress_chart(summary)

    monkeypatch.setattr(summary_handlers, "progress_chart", drawing)
    delivery = await Inbox(get_settings()).submit(chart_request("chart-1"), BUTTONS)

    assert seen == [(False, 1)]
    [claim] = delivery.answers
    async with session_scope() as session:
        media = await live_media(session, media_id=claim.row.payload["image"]["media_id"])
    assert media.data.startswith(b"\x89PNG")
    assert await reserved_files() == 0


async def test_ten_requests_for_the_same_chart_draw_it_once(db, monkeypatch):
    await commune()
    calls = []

    def drawing(summary):
        calls.append(summary.unit.code)
        return b"\x89PNG one drawing"

    monkeypatch.setattr(summary_handlers, "progress_chart", drawing)
    inbox = Inbox(get_settings())
    requests = [inbox.submit(chart_request(f"same-{n}"), BUTTONS) for n in range(10)]
    deliveries = await asyncio.gather(*requests)

    assert calls == ["28468"]
    ids = {d.answers[0].row.payload["image"]["media_id"] for d in deliveries}
    assert len(ids) == 10  # each answer its own link, all with the one drawing
    async with session_scope() as session:
        found = [await live_media(session, media_id=media_id) for media_id in ids]
    assert {media.data for media in found} == {b"\x89PNG one drawing"}


@dataclass
class Figures:
    made_at: datetime
    counts: dict


def test_the_key_is_the_figures_and_the_minute_they_were_read():
    def draw(figures):
        return b""

    at = datetime(2026, 11, 18, 10, 0, 5)
    key = render_key(draw, Figures(at, {"vneid": 3}))
    assert render_key(draw, Figures(at.replace(second=50), {"vneid": 3})) == key
    assert render_key(draw, Figures(at.replace(minute=1), {"vneid": 3})) != key
    assert render_key(draw, Figures(at, {"vneid": 4})) != key


async def test_a_failed_drawing_is_not_kept():
    outcomes = [RuntimeError("font missing"), b"png"]

    def draw(figures):
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    cache = RenderCache(Workers(partial(ThreadPoolExecutor, max_workers=1)))
    figures = Figures(datetime(2026, 11, 18, 10, 0), {})
    with pytest.raises(RuntimeError):
        await cache.draw(draw, figures)
    assert await cache.draw(draw, figures) == b"png"
