"""One sender's flood (bot.flood): past the limit one notice, then silence until the window has
passed; the others are answered as ever; the limit is kept in the database (#27 item 7)."""

import asyncio
from datetime import timedelta

import pytest
import time_machine

from bot import flood, texts
from bot.core.channel import TELEGRAM as CAPABILITIES
from bot.inbox import Inbox
from config import get_settings
from db.outbox import enqueue_answers
from db.rate_slots import Slots
from tests.bot.test_inbox import event, fresh_commune, replies
from tests.clock import NOW

pytestmark = pytest.mark.usefixtures("db")
LIMIT = {"flood_messages": 5, "flood_seconds": 60}


def inbox() -> Inbox:
    return Inbox(get_settings().model_copy(update=LIMIT))


async def test_past_the_limit_one_notice_then_silence_until_the_window_passes(db):
    with time_machine.travel(NOW, tick=False) as clock:
        await fresh_commune()
        flood = [event("1", "/huongdan") for _ in range(12)]
        flooded = inbox()  # one process: the flood goes in one batch, in order
        results = await asyncio.gather(*(flooded.submit(e, CAPABILITIES) for e in flood))
        other = await inbox().submit(event("2", "/huongdan"), CAPABILITIES)
        said = [await replies(delivery) for delivery in results]
        notice = texts.FLOOD_NOTICE.format(minutes=1)
        assert [texts for texts in said if texts and texts != [notice]] == said[:5]
        assert said[5:] == [[notice]] + [[]] * 6
        assert await replies(other) != []  # another person is answered as ever

        clock.shift(timedelta(seconds=30))  # half the window: still silent
        assert await replies(await inbox().submit(event("1", "/huongdan"), CAPABILITIES)) == []
        clock.shift(timedelta(seconds=31))  # the window has passed since the notice
        again = await replies(await inbox().submit(event("1", "/huongdan"), CAPABILITIES))
        assert again != [] and again != [notice]


async def test_the_limit_holds_across_processes(db):
    """Two inboxes (as two processes) share the count: it lives in the database."""
    with time_machine.travel(NOW, tick=False):
        await fresh_commune()
        first, second = inbox(), inbox()
        said = []
        for n in range(8):
            delivery = await (first if n % 2 else second).submit(event("1", "/toi"), CAPABILITIES)
            said.append(await replies(delivery))
        assert [bool(texts) for texts in said] == [True] * 6 + [False] * 2  # 5, the notice, none


async def test_the_senders_slots_are_written_even_when_no_one_is_answered(db):
    """The flood slots are written with the answers' slots, once (db.rate_slots.Slots): a batch
    with no answer to plan writes them all the same."""
    limit = flood.Limit(2, timedelta(seconds=60))
    sent = event("1", "/huongdan")
    async with db() as session:
        slots = Slots()
        verdicts = await flood.admit(session, [sent, sent], limit=limit, now=NOW, slots=slots)
        assert verdicts == [flood.ALLOW, flood.ALLOW]
        assert await enqueue_answers(session, [], rates={}, slots=slots) == []
        await session.commit()
    async with db() as session:
        verdicts = await flood.admit(session, [sent], limit=limit, now=NOW, slots=Slots())
        assert verdicts == [flood.NOTICE]
