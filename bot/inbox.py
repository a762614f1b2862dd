"""This process's way in for events from every channel: they wait here, then run in batches
(bot.batch), each batch one transaction.

Events that arrive while a batch is in the database wait and go together in the next one: under
load one transaction carries many events. After a large batch, a few events that arrived
meanwhile wait LINGER for the callers just answered, who send again within a round trip:
otherwise batches alternate large and tiny (31 and 1 at 32 requests in flight), and the tiny ones
pay a whole batch's fixed cost. Nothing lives in memory longer than the request that brought the
event: a caller hears back only after the commit, so a crash before it just means the platform
delivers again.
"""

import asyncio
import logging
from collections.abc import Callable

from bot.attachments import draw_renders
from bot.batch import Delivery, Item, process_batch
from bot.core.channel import Capabilities
from bot.core.events import Event, checked
from bot.metrics import UPDATES
from bot.reading import process_reading
from config import Settings

log = logging.getLogger(__name__)

LINGER = 0.002  # seconds a few events wait, after a large batch, for its callers to come back
MAX_BATCH = 64  # events per transaction: enough to share the reads, few enough to answer fast


class Inbox:
    """This process's way in for events from every channel.

    Quick events (reports, flow steps) run in batches, one at a time. Events that read many
    units' reports (`reads_many`: summaries, leaderboards) run one at a time beside them, their
    reads in a read-only transaction of their own (bot.reading), so a member's report
    never waits for an official's leaderboard. A sender's or a chat's events after a heavy one
    wait for it: each one's events keep their order.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        max_batch: int = MAX_BATCH,
        orphaned: Callable[[Delivery], None] | None = None,
    ) -> None:
        self.settings = settings
        self.max_batch = max_batch
        # Replies whose caller left (a request cancelled) still go: its rows are `sending`.
        self.orphaned = orphaned
        self._waiting: list[Item] = []
        self._runner: asyncio.Task | None = None
        self._heavy: asyncio.Task | None = None  # the heavy batch in flight
        self._heavy_keys: set = set()  # its senders and chats
        self._light_keys: set = set()  # the quick batch's in flight
        self._adopted: set[asyncio.Task] = set()

    async def submit(self, event: Event, capabilities: Capabilities) -> Delivery:
        """Handle the event once; returns its replies to deliver now (none for a repeat).

        An event no platform sends raises InvalidEvent here, before it joins a batch: it never
        reaches the transaction that holds the others."""
        item = Item(checked(event), capabilities)
        self._waiting.append(item)
        self._wake()
        delivery = await item.done
        # Its charts and workbooks, drawn in this request's own time, after the commit and off
        # the event loop: the next batch does not wait for them.
        await draw_renders(delivery.renders)
        return delivery

    def _wake(self) -> None:
        if self._runner is None or self._runner.done():
            self._runner = asyncio.create_task(self._drain())

    def _adopt(self, delivery: Delivery) -> None:
        """Draw the files of a delivery whose caller left, then hand it to `orphaned`."""

        async def adopt() -> None:
            await draw_renders(delivery.renders)
            self.orphaned(delivery)

        task = asyncio.create_task(adopt())
        self._adopted.add(task)
        task.add_done_callback(self._adopted.discard)

    async def finish(self) -> None:
        """On shutdown: the batches in flight, and the events waiting for them, are handled and
        committed before the database goes (their callers may be gone: a repeat is a no-op)."""
        while (self._runner is not None and not self._runner.done()) or self._heavy is not None:
            await asyncio.shield(self._heavy or self._runner)

    async def _drain(self) -> None:
        last = 0
        while self._waiting:
            if last >= self.max_batch // 4 > len(self._waiting):
                # The callers of a large batch were just answered and will be back within a round
                # trip: a few waiting events go with them instead of paying a batch's fixed cost.
                await asyncio.sleep(LINGER)
            light, heavy = self._lanes()
            if heavy and self._heavy is None:
                self._start_heavy(heavy[0])
            if not light:
                return  # the heavy batch wakes the runner again when it is done
            batch = light[: self.max_batch]
            self._take(batch)
            self._light_keys = _keys(batch)
            self._answer(batch, await self._run(batch))
            self._light_keys, last = set(), len(batch)

    def _lanes(self) -> tuple[list[Item], list[Item]]:
        """The quick events waiting, and the heavy ones that may start now.

        An event after a heavy one (waiting or in flight) from the same sender or chat waits
        with the heavy ones, and a heavy one waits for every earlier event of theirs."""
        light, heavy = [], []
        held = set(self._heavy_keys)
        earlier = self._light_keys | self._heavy_keys
        for item in self._waiting:
            if item.heavy or item.keys & held:
                held |= item.keys
                if not item.keys & earlier:
                    heavy.append(item)
            else:
                light.append(item)
            earlier |= item.keys
        return light, heavy

    def _start_heavy(self, item: Item) -> None:
        batch = [item]
        self._take(batch)
        self._heavy_keys = _keys(batch)

        async def run() -> None:
            try:
                self._answer(batch, await self._run(batch, reading=True))
            finally:
                self._heavy, self._heavy_keys = None, set()
                if self._waiting:
                    self._wake()

        self._heavy = asyncio.create_task(run())

    def _take(self, batch: list[Item]) -> None:
        taken = {id(item) for item in batch}
        self._waiting = [item for item in self._waiting if id(item) not in taken]

    async def _run(self, batch: list[Item], *, reading: bool = False) -> list:
        try:
            if reading:  # one event that only reads, its reads beside the quick batches
                return [await process_reading(batch[0], settings=self.settings)]
            return await process_batch(batch, settings=self.settings)
        except Exception as error:  # the database is unreachable: every caller answers 503
            log.warning("inbox: %d updates not taken, to come again: %s", len(batch), error)
            return [error] * len(batch)

    def _answer(self, batch: list[Item], results: list) -> None:
        """Each caller gets its event's outcome; a caller that left has its replies adopted."""
        for item, result in zip(batch, results, strict=True):
            if isinstance(result, Exception):
                UPDATES.labels(item.event.platform, "unavailable").inc()
            if item.done.done():  # its request was cancelled; a retry is a repeat
                if self.orphaned is not None and isinstance(result, Delivery):
                    self._adopt(result)  # the effects stand: so do their replies
                continue
            if isinstance(result, Exception):
                item.done.set_exception(result)
            else:
                item.done.set_result(result)


def _keys(batch: list[Item]) -> set:
    """Whose order the batch's events are in."""
    return set().union(*(item.keys for item in batch))
