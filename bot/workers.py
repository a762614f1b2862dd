"""Processes beside the service's event loop, for work that holds the CPU for tens or hundreds of
milliseconds: drawing files (bot.attachments) and reading summaries (bot.reading). On the loop,
or in a thread holding the GIL, every member's answer that arrived meanwhile waited for it.

They are spawned, not forked (a fork would copy the event loop, its threads and open connections
mid-use), and run at nice 10, so the answers get the CPU first.
"""

import asyncio
import logging
import multiprocessing
import os
import signal
from collections.abc import Callable
from concurrent.futures import BrokenExecutor, Executor, ProcessPoolExecutor

log = logging.getLogger(__name__)


class Workers:
    """An executor, made by `make` when first needed (none: the caller works in this process);
    one whose process died is replaced, and the call tried once more."""

    def __init__(self, make: Callable[[], Executor] | None = None) -> None:
        self.make = make
        self._executor: Executor | None = None

    @property
    def executor(self) -> Executor | None:
        if self._executor is None and self.make is not None:
            self._executor = self.make()
        return self._executor

    @executor.setter
    def executor(self, executor: Executor | None) -> None:
        self._executor = executor

    @property
    def in_processes(self) -> bool:
        return isinstance(self.executor, ProcessPoolExecutor)

    def use(self, make: Callable[[], Executor] | None) -> Executor | None:
        """Work with executors from `make` from now on; returns the one used until now (if any),
        for the caller to shut down once its work is done."""
        old, self._executor = self._executor, None
        self.make = make
        return old

    async def run(self, function: Callable, *args):
        executor = self.executor
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(executor, function, *args)
        except BrokenExecutor:  # its process died (killed, out of memory): new ones, one try more
            log.warning("a worker process died: starting another")
            if self._executor is executor:
                self.use(self.make)
                executor.shutdown(wait=False)
            return await loop.run_in_executor(self.executor, function, *args)

    async def start(self, make: Callable[[], Executor], warm_up: Callable, count: int) -> None:
        """Work in the executors of `make` from now on, its `count` processes started and warmed
        up now (`warm_up` in each), so the first call does not wait seconds for imports."""
        old = self.use(make)
        if old is not None:
            old.shutdown(wait=False)
        loop = asyncio.get_running_loop()
        executor = self.executor
        await asyncio.gather(*(loop.run_in_executor(executor, warm_up) for _ in range(count)))

    async def stop(self, make: Callable[[], Executor] | None = None) -> None:
        """The processes finish their work and end; later work goes to `make`'s executor."""
        old = self.use(make)
        if old is not None:
            await asyncio.to_thread(old.shutdown)


def processes(count: int, initializer: Callable[[], None] | None = None) -> Executor:
    """`count` spawned processes at nice 10, each running `initializer` first."""
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(
        count, mp_context=context, initializer=_background, initargs=(initializer,)
    )


def _background(initializer: Callable[[], None] | None) -> None:
    """Work waits for the CPU behind the answers (nice 10). Ctrl-C reaches the whole process
    group: the service ends its worker processes itself."""
    os.nice(10)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if initializer is not None:
        initializer()
