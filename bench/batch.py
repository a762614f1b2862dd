"""Batch benchmark: the inbox's transaction alone, in this process, with no HTTP and no sending.

The ingest benchmark measures the whole service, on a machine whose speed varies by tens of
percent between runs; this one isolates `bot.batch.process_batch`, the part the service
spends most of its own CPU in. It seeds the same hamlets and members as bench/ingest.py, turns
the same updates into events (python-telegram-bot's `Update.de_json`, then the adapter), and
runs them in batches of BATCH events from BATCH users at a time (a guided flow's steps stay in
order), with the garbage collector set as the service sets it (`cli.serve.settle_gc`), then prints
the CPU time per event. Run it at two batch sizes to split a batch's fixed cost from each
event's: cost(B) = fixed / B + per event.

    python bench/batch.py                                     # SQLite file in a temp dir
    BATCH=4 RUNS=5 python bench/batch.py
    DATABASE_URL=postgresql+asyncpg://... python bench/batch.py
"""

import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("TELEGRAM_BOT_TOKEN", "123:bench")
os.environ.setdefault(  # the inbox opens its sessions on the configured database
    "DATABASE_URL",
    f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp(prefix='tcn-batch-')) / 'bench.db'}",
)

from sqlalchemy.engine import make_url  # noqa: E402
from telegram import Bot, Update  # noqa: E402

from bench.ingest import seed, updates  # noqa: E402
from bot.batch import Item, process_batch  # noqa: E402
from bot.core.channel import TELEGRAM  # noqa: E402
from cli.serve import settle_gc  # noqa: E402
from config import get_settings  # noqa: E402
from db.migrate import recreate_schema  # noqa: E402
from db.session import dispose_engines  # noqa: E402
from webhook.telegram import to_event  # noqa: E402

BATCH = int(os.environ.get("BATCH", "32"))
RUNS = int(os.environ.get("RUNS", "3"))


def batches(sequences: list[list[dict]], size: int) -> list[list]:
    """Each batch takes the next update of `size` users; a user whose steps are done is replaced."""
    bot = Bot("123:bench")
    waiting = [list(steps) for steps in reversed(sequences)]
    active, result = [], []
    while active or waiting:
        while len(active) < size and waiting:
            active.append(waiting.pop())
        result.append([to_event(Update.de_json(steps.pop(0), bot)) for steps in active])
        active = [steps for steps in active if steps]
    return result


async def run(url: str) -> tuple[int, float]:
    """One run on a fresh database; returns (events, CPU seconds in process_batch)."""
    if url.startswith("sqlite"):  # recreate_schema migrates a new SQLite file, drops nothing
        for suffix in ("", "-wal", "-shm"):
            Path(make_url(url).database + suffix).unlink(missing_ok=True)
    await recreate_schema(url)
    work = batches(updates(await seed(url)), BATCH)
    settings = get_settings()
    settle_gc()  # as `tocongnghe serve` does once started
    started = time.process_time()
    for events in work:
        await process_batch([Item(event, TELEGRAM) for event in events], settings=settings)
    cpu = time.process_time() - started
    await dispose_engines()
    return sum(len(events) for events in work), cpu


async def main() -> None:
    url = os.environ["DATABASE_URL"]
    results = [await run(url) for _ in range(RUNS)]
    per_event = sorted(cpu / events * 1000 for events, cpu in results)
    engine = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(f"{results[0][0]} events in batches of {BATCH}, database {engine}, {RUNS} runs")
    print(
        f"CPU per event: best {per_event[0]:.2f} ms, all {', '.join(f'{x:.2f}' for x in per_event)}"
    )


if __name__ == "__main__":
    asyncio.run(main())
