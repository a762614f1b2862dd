"""Events that only read (bot.batch.process_reading): the handler runs in a read-only transaction
of its own, then a batch of its own records the event and writes what it queued."""

import os

import pytest
from sqlmodel import select

from bot import flood, texts
from bot.batch import Delivery, Item, process_batch
from bot.core.channel import TELEGRAM as CAPABILITIES
from bot.handlers import COMMANDS
from bot.reading import READERS, process_reading
from config import Settings, get_settings
from db.models import Media, ProcessedUpdate, Unit
from db.session import session_scope
from tests.bot.test_inbox import event, fresh_commune, open_flows, replies
from tests.helpers import running_service

pytestmark = pytest.mark.usefixtures("fixed_clock")  # the batch reads the clock


async def media_rows() -> list[tuple[str, bytes]]:
    async with session_scope() as session:
        return [(m.content_type, m.data) for m in (await session.exec(select(Media))).all()]


async def test_a_summary_read_aside_answers_and_writes_what_a_batch_does(db):
    """Its choices (an open menu) and its chart's file row, queued in the read-only transaction,
    are written by its batch, as a batch that ran the handler itself writes them."""
    outcomes = []
    for aside in (False, True):
        await fresh_commune()
        await process_batch(
            [Item(event("2", "/bc vneid 4"), CAPABILITIES)], settings=get_settings()
        )
        texts_now, renders = [], 0
        for command in ("/baocao png", "/baocao"):
            summary = Item(event("1", command), CAPABILITIES)
            if aside:
                delivery = await process_reading(summary, settings=get_settings())
            else:
                (delivery,) = await process_batch([summary], settings=get_settings())
            texts_now += await replies(delivery)
            renders += len(delivery.renders)  # drawn by its caller after the commit
        outcomes.append((texts_now, renders, await open_flows(), await media_rows()))
    in_batch, aside = outcomes
    assert aside == in_batch
    chart, summary, *_ = aside[0]
    assert "Ấp Tân Hòa" in chart and "VNeID 4" in summary
    assert aside[1:] == (1, [("1", "menu", "choose")], [("image/png", b"")])  # file: not drawn yet


async def test_a_summary_delivered_again_is_answered_once(db):
    await fresh_commune()
    summary = event("1", "/baocao", key="same")
    first = await process_reading(Item(summary, CAPABILITIES), settings=get_settings())
    again = await process_reading(Item(summary, CAPABILITIES), settings=get_settings())
    assert len(first.answers) == 1
    assert again == Delivery()


async def test_a_summary_that_writes_is_answered_with_the_error_and_not_retried(db, monkeypatch):
    """A write in the read-only transaction is a bug, not a locked database: the update is
    recorded with the error answer (a 503 would have the platform send it again forever)."""
    await fresh_commune()

    async def writing(ctx, args):
        ctx.session.add(Unit(code="X1", level="hamlet", name="Ấp Lạ", path="X1"))
        await ctx.session.flush()
        return []

    monkeypatch.setitem(COMMANDS, "bangxephang", writing)
    summary = event("1", "/bangxephang")
    delivery = await process_reading(Item(summary, CAPABILITIES), settings=get_settings())
    assert await replies(delivery) == [texts.ERROR_TRY_AGAIN]
    async with session_scope() as session:
        assert not (await session.exec(select(Unit).where(Unit.code == "X1"))).all()
        recorded = await session.exec(select(ProcessedUpdate.update_id))
        assert summary.update_key in recorded.all()


async def test_a_summary_past_the_flood_limit_is_not_answered(db):
    await fresh_commune()
    settings = get_settings().model_copy(update={"flood_messages": 1})
    answered = []
    for _ in range(3):
        delivery = await process_reading(
            Item(event("1", "/baocao"), CAPABILITIES), settings=settings
        )
        answered.append(await replies(delivery))
    notice = [reply.text for reply in flood.notice(flood.Limit.of(settings))]
    assert "Ấp Tân Hòa" in answered[0][0]
    assert answered[1:] == [notice, []]


async def test_the_service_reads_in_a_process_it_starts_and_ends_with_it(db, monkeypatch):
    """With READ_PROCESSES the handler runs in a spawned process at nice 10, on its own
    connection; the service's stop ends it."""
    await fresh_commune()
    await process_batch([Item(event("2", "/bc vneid 4"), CAPABILITIES)], settings=get_settings())

    async def not_here(*args, **kwargs):
        raise AssertionError("read on the service's own loop")

    monkeypatch.setattr("bot.reading.read_here", not_here)  # this process's copy only
    settings = Settings(_env_file=None, read_processes=1)
    async with running_service(settings):
        assert READERS.in_processes
        [worker] = READERS.executor._processes  # spawned and warmed up with the service
        here = os.getpriority(os.PRIO_PROCESS, 0)
        assert os.getpriority(os.PRIO_PROCESS, worker) == min(here + 10, 19)  # answers go first
        summary = Item(event("1", "/baocao"), CAPABILITIES)
        delivery = await process_reading(summary, settings=settings)
        assert "VNeID 4" in (await replies(delivery))[0]
        assert await open_flows() == [("1", "menu", "choose")]  # written by its batch, here
    assert READERS.executor is None
    with pytest.raises(ProcessLookupError):
        os.kill(worker, 0)  # the service's stop ended it
