"""Flood benchmark: one member floods the bot while others report; how long do the others wait?

Starts the service as `tocongnghe serve` runs it, on a fresh database, replies going to a local
fake Bot API (in this process, so its arrival times share our clock). For SECONDS, one member
sends reports at RATE messages a second (3,000 a minute by default), each a different pair of
small counts (`/bc vneid 10 dvc 1`, `/bc vneid 11 dvc 1`, ...: under UNUSUAL_MIN_COUNT and no
report twice in 1,600, so neither doubt is asked and only the daily cap stops them), while
OTHERS members each send a report (a different one each time), wait for its answer and a second,
and send the next. Prints the others' reply latency (post to the answer reaching the Bot API:
p50, p95, max), how many answers the flooder got by the end, how many of the flooder's reports
the daily cap asked about instead of storing, and the flooder's stored total for the day. Three
runs: with the limits (the defaults); with the flood limit and the daily cap off
(FLOOD_MESSAGES=0, DAILY_COUNT_CAP=0), one chat's pace alone; and with that off too
(TELEGRAM_CHAT_PER_SECOND=0), as the service was before.

    python bench/flood.py                        # SQLite file under a temp dir
    DATABASE_URL=postgresql+asyncpg://... python bench/flood.py
"""

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.ingest import seed  # noqa: E402
from bench.service import HEADERS, service  # noqa: E402
from bot import texts  # noqa: E402
from db.migrate import recreate_schema  # noqa: E402
from tests.fakes.botapi import FakeBotApi  # noqa: E402

SECONDS = float(os.environ.get("BENCH_SECONDS", "15"))
RATE = float(os.environ.get("BENCH_FLOOD_RATE", "50"))  # the flooder's messages a second
OTHERS = int(os.environ.get("BENCH_OTHERS", "10"))
_ids = iter(range(1, 10**9))


def update(user_id: int, text: str) -> dict:
    number = next(_ids)
    chat = {"id": user_id, "type": "private", "first_name": "x"}
    user = {"id": user_id, "is_bot": False, "first_name": "x"}
    message = {"message_id": number, "date": int(time.time()), "chat": chat, "from": user}
    return {"update_id": number, "message": {**message, "text": text}}


async def flood(client: httpx.AsyncClient, user_id: int, until: float) -> int:
    """Post at RATE a second until `until`, each post on its own; returns how many."""
    posts, sent = [], 0
    while time.monotonic() < until:
        body = update(user_id, f"/bc vneid {10 + sent % 40} dvc {1 + sent // 40 % 40}")
        posts.append(asyncio.create_task(client.post("/webhook/telegram", json=body)))
        sent += 1
        await asyncio.sleep(1 / RATE)
    await asyncio.gather(*posts)
    return sent


async def report_and_wait(client, api: FakeBotApi, user_id: int, until: float) -> list[float]:
    """Report, wait for the answer, again, until `until`; returns each answer's latency.

    Each report differs from the last (the same one again is asked about, and the next report
    then also gets a notice that the question was dropped: two messages a round, which the
    chat's own pace of 1 a second would hold back)."""
    latencies = []
    while time.monotonic() < until:
        before = len(api.sent_texts(user_id))
        started = time.monotonic()
        text = f"/bc vneid 1 dvc {len(latencies) + 1}"
        await client.post("/webhook/telegram", json=update(user_id, text), headers=HEADERS)
        while len(api.sent_texts(user_id)) == before:
            await asyncio.sleep(0.005)
        answered = [
            c.at for c in api.calls("sendMessage") if str(c.params["chat_id"]) == str(user_id)
        ]
        latencies.append(answered[-1] - started)
        await asyncio.sleep(1.0)  # ~10 answers a second in all: under the bot's 30/s
    return latencies


async def run(url: str, api: FakeBotApi, limits: dict) -> str:
    await recreate_schema(url)
    users = [user_id for user_id, _ in await seed(url)]
    flooder, others = users[0], users[1 : 1 + OTHERS]
    api.clear()
    with service(url, api, **limits) as (_, port):
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{port}",
            headers=HEADERS,
            timeout=120,
            limits=httpx.Limits(max_connections=200, max_keepalive_connections=0),
        ) as client:
            until = time.monotonic() + SECONDS
            flooded, *latencies = await asyncio.gather(
                flood(client, flooder, until),
                *(report_and_wait(client, api, user, until) for user in others),
            )
            await asyncio.sleep(3)  # answers still planned go out
    waits = sorted(x for each in latencies for x in each)
    p95 = waits[int(len(waits) * 0.95) - 1]
    stored, capped = await flooder_outcome(url, flooder)
    return (
        f"{flooded:>7} {len(api.sent_texts(flooder)):>9} {capped:>9} {stored:>7}  "
        f"{statistics.median(waits) * 1000:>7.0f} {p95 * 1000:>7.0f} {waits[-1] * 1000:>7.0f}"
    )


async def flooder_outcome(url: str, user_id: int) -> tuple[int, int]:
    """The flooder's stored total, and how many of their answers (sent or still queued) are the
    daily cap's question."""
    from datetime import date

    from sqlmodel import select

    from db.models import Identity, Outbox
    from db.reports import totals
    from db.session import dispose_engines, session_scope

    cap_asks = texts.DAILY_CAP_ASK.split("{")[0]
    async with session_scope(url) as session:
        identity = (
            await session.exec(select(Identity).where(Identity.user_id == str(user_id)))
        ).one()
        found = await totals(
            session, start=date(2000, 1, 1), end=date(2100, 1, 1), person_id=identity.person_id
        )
        answers = (await session.exec(select(Outbox).where(Outbox.chat_id == str(user_id)))).all()
    await dispose_engines()
    return sum(found.values()), sum(cap_asks in row.payload.get("text", "") for row in answers)


async def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="tcn-flood-"))
    url = os.environ.get("DATABASE_URL")
    print(f"{SECONDS:.0f} s, one member at {RATE:.0f}/s, {OTHERS} others reporting; latencies ms")
    print(
        f"{'':<24} {'flooded':>7} {'answered':>9} {'cap asks':>9} {'stored':>7}  "
        f"{'p50':>7} {'p95':>7} {'max':>7}"
    )
    unlimited = {"FLOOD_MESSAGES": "0", "DAILY_COUNT_CAP": "0"}
    with FakeBotApi("telegram") as api:
        for number, (name, limits) in enumerate(
            (
                ("limits on (defaults)", {}),
                ("chat pace only", unlimited),
                ("limits off (before)", {**unlimited, "TELEGRAM_CHAT_PER_SECOND": "0"}),
            )
        ):
            where = url or f"sqlite+aiosqlite:///{workdir / f'run{number}.db'}"
            print(f"{name:<24} " + await run(where, api, limits))


if __name__ == "__main__":
    asyncio.run(main())
