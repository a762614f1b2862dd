"""This process's pace: how many sends are in flight, and how many calls a platform sees in a
second."""

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta


async def take_permits(permits: asyncio.Semaphore, least: int, most: int) -> int:
    """Wait for `least` free send permits, then take every other free one, up to `most`."""
    for _ in range(least):
        await permits.acquire()
    taken = least
    while taken < most and not permits.locked():
        await permits.acquire()
        taken += 1
    return taken


class Pace:
    """Each platform's last calls from this process, answered or not, in a sliding second.

    Sends are planned evenly, but one that starts late (a busy event loop) and ones on time
    after it would put one call too many into a second, and the platform's 429 stops every
    send for retry_after. The platform sees a call at some moment between our start and its
    answer, so a call may start once the call `limit` places back was answered over a second
    (plus `margin`) ago: no second can then hold more than the limit, whatever the jitter,
    and sends after a late one catch up. The cost is one round trip a second at the limit.
    """

    def __init__(
        self,
        *,
        clock: Callable[[], datetime],
        sleep: Callable[[float], Awaitable],
        margin: float = 0.0,
    ) -> None:
        self.clock = clock
        self.sleep = sleep
        self.margin = margin
        self._recent: dict[str, deque[list]] = {}

    async def wait(
        self, platform: str, *, per_second: float, gap: timedelta
    ) -> list[datetime | None]:
        """Wait until a call now cannot make the platform count more than `per_second` in one
        second (`gap` apart, as the rate slots plan). Returns the call's mark: the caller sets
        it to the time of the answer."""
        mark: list[datetime | None] = [None]
        if not per_second:
            return mark
        calls = max(1, int(per_second))
        window = gap * calls * (1 + self.margin)  # the planned spacing over `calls`, plus margin
        recent = self._recent.setdefault(platform, deque(maxlen=calls))
        while len(recent) == calls:
            answered = recent[0][0]
            wait = (answered + window - self.clock()).total_seconds() if answered else 0.005
            if wait <= 0:
                break
            await self.sleep(wait)
        recent.append(mark)
        return mark
