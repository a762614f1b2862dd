"""Latency benchmark (#21): what a member waits for, through the real service over HTTP.

Starts the full service (`tocongnghe serve`, its own process) on a fresh database, replies going
to the local fake Bot API (tests/fakes/botapi.py, in this process). A round trip is from posting
a Telegram update to the webhook until the fake Bot API receives the answer to that chat.
  1. quiet: QUICK quick reports (`/bc ...`) in private chats, one after another: p50/p95;
  2. loaded: the same while OFFICIALS officials pull charts and leaderboards without pause, each
     for a different period (so each is really drawn): p50/p95, and how many files were drawn;
  3. burst: the 8 members of one quiet hamlet group each post a report in the group within one
     second: the time to each acknowledgement, and the most messages any 60 s window held for
     that group (limit TELEGRAM_GROUP_PER_MINUTE, 20 by default).
Targets: loaded p95 <= 2x quiet p95; the 8 acknowledged within 2 s; no window over the limit.

    python bench/latency.py
    DATABASE_URL=postgresql+asyncpg://... python bench/latency.py
"""

import asyncio
import itertools
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.service import HEADERS, group_id, seed_commune, service  # noqa: E402
from db.migrate import recreate_schema  # noqa: E402
from tests.fakes.botapi import FakeBotApi  # noqa: E402

QUICK = int(os.environ.get("QUICK", "60"))
OFFICIALS = int(os.environ.get("OFFICIALS", "4"))
HAMLETS, MEMBERS = 12, 8
GROUP = group_id(0)  # the quiet hamlet's group
OFFICIAL_IDS = tuple(90_000 + n for n in range(OFFICIALS))
_updates = itertools.count(1)


async def seed(url: str) -> None:
    """A commune of HAMLETS hamlets of MEMBERS members on Telegram, officials, hamlet 0's group."""
    await seed_commune(url, hamlets=HAMLETS, members=MEMBERS, officials=OFFICIAL_IDS, groups=1)


def message(user: int, text: str, chat: int | None = None) -> dict:
    update_id = next(_updates)
    chat_info = (
        {"id": chat, "type": "group", "title": "Nhóm"}
        if chat
        else {"id": user, "type": "private", "first_name": "x"}
    )
    sender = {"id": user, "is_bot": False, "first_name": "TV"}
    body = {"message_id": update_id, "date": 0, "chat": chat_info, "from": sender, "text": text}
    return {"update_id": update_id, "message": body}


class Client:
    def __init__(self, port: int, api: FakeBotApi) -> None:
        self.http = httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60)
        self.api = api

    async def post(self, update: dict) -> float:
        started = time.monotonic()
        response = await self.http.post("/webhook/telegram", json=update, headers=HEADERS)
        response.raise_for_status()
        return started

    async def answered(self, chat: int, after: float, count: int = 1) -> list[float]:
        """When the first `count` messages to `chat` after `after` reached the Bot API."""
        for _ in range(6000):
            times = [
                c.at
                for c in self.api.calls()
                if c.method.startswith("send")
                and str(c.params.get("chat_id")) == str(chat)
                and c.at >= after
            ]
            if len(times) >= count:
                return sorted(times)[:count]
            await asyncio.sleep(0.005)
        raise TimeoutError(f"no answer to {chat}")

    async def round_trip(self, user: int, text: str) -> float:
        started = await self.post(message(user, text))
        [at] = await self.answered(user, started)
        return at - started


async def quick_reports(client: Client, count: int, offset: int) -> list[float]:
    """`count` quick reports from different members, one after another; their round trips."""
    members = [10_000 + h * 100 + m for h in range(1, HAMLETS) for m in range(MEMBERS)]
    trips = []
    for n in range(count):
        user = members[(n + offset) % len(members)]
        trips.append(await client.round_trip(user, f"/bc vneid {n % 7 + 1} dvc 2"))
        await asyncio.sleep(0.05)  # a member every ~50 ms: a busy commune, not a flood
    return trips


async def officials(client: Client, stop: asyncio.Event) -> int:
    """Officials pull charts and leaderboards, each for a period not asked before; returns how
    many files they asked for."""
    periods = (
        (date(2026, 1, 5) + timedelta(days=k), date(2026, 1, 11) + timedelta(days=k + k % 5))
        for k in itertools.count()
    )
    asked = 0

    async def one(user: int) -> None:
        nonlocal asked
        for kind in itertools.cycle(["/baocao png", "/bangxephang"]):
            if stop.is_set():
                return
            start, end = next(periods)
            text = f"{kind} {start:%d/%m/%y}-{end:%d/%m/%y} 99001"
            started = await client.post(message(user, text))
            await client.answered(user, started)
            asked += 1

    await asyncio.gather(*(one(user) for user in OFFICIAL_IDS))
    return asked


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[q - 1] * 1000


def most_in_a_minute(times: list[float]) -> int:
    times = sorted(times)
    return max(sum(1 for t in times[k:] if t < times[k] + 60) for k in range(len(times)))


async def burst(client: Client) -> tuple[list[float], int]:
    """Hamlet 0's 8 members report in its group within one second; seconds to each answer."""
    members = [10_000 + m for m in range(MEMBERS)]
    first = time.monotonic()
    posts = []
    for user in members:
        posts.append(asyncio.create_task(client.post(message(user, "/bc vneid 2", chat=GROUP))))
        await asyncio.sleep(1 / MEMBERS)
    started = sorted(await asyncio.gather(*posts))
    answers = await client.answered(GROUP, first, count=MEMBERS)
    waits = [at - start for at, start in zip(answers, started, strict=True)]
    sent = [c.at for c in client.api.calls() if str(c.params.get("chat_id")) == str(GROUP)]
    return waits, most_in_a_minute(sent)


async def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="tcn-latency-"))
    url = os.environ.get("DATABASE_URL") or f"sqlite+aiosqlite:///{workdir / 'bench.db'}"
    await recreate_schema(url)
    await seed(url)
    with FakeBotApi("telegram") as api, service(url, api) as (_, port):
        client = Client(port, api)
        await quick_reports(client, 20, offset=500)  # warm up: imports, caches, connections
        quiet = await quick_reports(client, QUICK, offset=0)
        stop = asyncio.Event()
        pulling = asyncio.create_task(officials(client, stop))
        await asyncio.sleep(1)  # the officials are at it
        loaded = await quick_reports(client, QUICK, offset=QUICK)
        stop.set()
        files = await pulling
        waits, most = await burst(client)
    engine = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(f"database {engine}, {os.cpu_count()} cores; {QUICK} quick reports a phase")
    for name, trips in (("quiet", quiet), ("loaded", loaded)):
        p50, p95 = percentile(trips, 50), percentile(trips, 95)
        print(
            f"{name:<7} round trip p50 {p50:6.0f} ms  p95 {p95:6.0f} ms  max {max(trips) * 1000:6.0f} ms"
        )
    ratio = percentile(loaded, 95) / percentile(quiet, 95)
    print(
        f"loaded p95 / quiet p95: {ratio:.2f} (target <= 2); {OFFICIALS} officials drew {files} files"
    )
    acks = ", ".join(f"{w:.2f}" for w in waits)
    print(
        f"group burst of {MEMBERS}: seconds to each acknowledgement {acks}; max {max(waits):.2f} s"
        f" (target <= 2); most in any 60 s: {most} (limit 20)"
    )


if __name__ == "__main__":
    asyncio.run(main())
