"""Answers planned ahead wait here, in a heap by planned time, until their send is near.

Under load the bot's rate slot plans answers minutes ahead (30 a second at most on Telegram). A
task per answer for all that time kept ~35 objects each alive, and the garbage collector's full
passes over them took ~10% of the service's CPU at 1,000 updates a second; a heap entry is a few
objects, and a claim gets its task LEAD seconds before its time. Messages to one chat still go in
the order they were scheduled. On shutdown the claims not started give their places back.
"""

import asyncio
import contextlib
import heapq
import itertools
import logging
from collections.abc import Callable
from datetime import datetime
from functools import partial

from sqlmodel.ext.asyncio.session import AsyncSession

from db.outbox import Claim
from db.rate_slots import Rates, bot_slot, give_back_slot

log = logging.getLogger(__name__)

LEAD = 0.5  # seconds before its planned time a scheduled answer gets its task

Chat = tuple[str, str]  # (platform, chat id)
StartSend = Callable[[Claim, dict[Chat, asyncio.Task]], asyncio.Task]


class Dispatcher:
    """Starts each scheduled claim's send (`start_send`, after the last one to its chat) LEAD
    seconds before its planned time, by the injected clock."""

    def __init__(self, start_send: StartSend, *, clock: Callable[[], datetime]) -> None:
        self.start_send = start_send
        self.clock = clock
        self._scheduled: list[tuple[datetime, int, Claim]] = []  # heap by planned time
        self._order = itertools.count()  # ties in the heap keep the order of scheduling
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._sending: set[asyncio.Task] = set()  # send tasks started and not finished
        self._last_to: dict[Chat, asyncio.Task] = {}  # the last send started to each chat

    def add(self, claims: list[Claim]) -> None:
        """Send these claims later, each at its planned time, without waiting for them."""
        for claim in claims:
            entry = (claim.row.next_attempt_at, next(self._order), claim)
            heapq.heappush(self._scheduled, entry)
            if self._scheduled[0] is entry:
                self._wake.set()  # the dispatcher may be waiting for a later one
        if claims and (self._task is None or self._task.done()):
            self._task = asyncio.create_task(self._run())

    async def stop(self, timeout: float) -> list[Claim]:
        """Start no more sends, let those in flight end (up to `timeout` seconds), and return
        the claims never started."""
        if self._task is not None:
            self._task.cancel()
        if self._sending:
            await asyncio.wait(self._sending, timeout=timeout)
        released = [claim for _, _, claim in self._scheduled]
        self._scheduled.clear()
        return released

    async def _run(self) -> None:
        """Start each scheduled claim's send when its time is near; ends when none is left."""
        while self._scheduled:
            wait = (self._scheduled[0][0] - self.clock()).total_seconds() - LEAD
            if wait > 0:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), wait)
                continue
            claim = heapq.heappop(self._scheduled)[2]
            task = self.start_send(claim, self._last_to)
            self._sending.add(task)
            task.add_done_callback(partial(self._forget, (claim.row.platform, claim.row.chat_id)))

    def _forget(self, chat: Chat, task: asyncio.Task) -> None:
        """A finished send; the chat's entry goes unless a later send to it has started. A send
        that raised (the database down while recording a failure) is logged: its row goes back
        to pending at the next beat."""
        self._sending.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("outbox: a send to %s:%s failed", *chat, exc_info=task.exception())
        if self._last_to.get(chat) is task:
            del self._last_to[chat]


async def give_back_slots(
    session: AsyncSession, released: list[Claim], *, rates: Callable[[str], Rates]
) -> None:
    """Take the released answers' places out of each bot's window: otherwise, after a restart
    under a backlog, new answers and the released ones would wait behind reservations nobody
    uses. Places planned since by anyone else are kept (`give_back_slot`). (Group chats'
    slots keep theirs: a few seconds each.)"""
    times: dict[str, list[datetime]] = {}
    for claim in released:
        if claim.has_bot_slot:
            times.setdefault(claim.row.platform, []).append(claim.row.next_attempt_at)
    for platform, planned in times.items():
        gap = rates(platform).bot
        if gap:
            await give_back_slot(session, bot_slot(platform), planned, gap)
