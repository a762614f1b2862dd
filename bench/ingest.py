"""Ingest benchmark: realistic Telegram updates posted to the running service, over HTTP.

Starts, each in its own process with one uvicorn worker:
  * the full service, as `tocongnghe serve` runs it, on a fresh database, replies going to a local
    fake Bot API;
  * a bare endpoint that only parses the update with python-telegram-bot and returns 200.
Then posts the same N updates to each (a mix of one-line reports and guided-flow steps from many users
and groups, CONCURRENCY requests in flight): to the bare endpoint, the full service, and the bare
endpoint again, so that the ratio compares the full path with the bare rate around it. Prints
updates/s, p50/p99 latency and the server process's CPU time per update for each.

    python bench/ingest.py                       # SQLite file under a temp dir
    DATABASE_URL=postgresql+asyncpg://... python bench/ingest.py
"""

import asyncio
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.service import SECRET, running, seed_commune, service  # noqa: E402
from db.migrate import recreate_schema  # noqa: E402
from tests.fakes.botapi import FakeBotApi  # noqa: E402

N = int(os.environ.get("BENCH_UPDATES", "4000"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "32"))
HAMLETS, MEMBERS_PER_HAMLET = 100, 10
PHRASES = [
    "/bc vneid {a} dvc {b} ho {c}",
    "/bc VNeID: {a}, dịch vụ công {b}, thăm {c} hộ",
    "/bc cai dinh danh {a}",
    "/bc ví điện tử {a} sim {b}",
    "/bc so suc khoe {a} ho {c}",
]
GUIDED = ["/ghinhan", "day:0", "ind:vneid", "{a}", "ind:ho", "{c}", "done", "yes"]

BARE_APP = """
from fastapi import FastAPI, Request, Response
from telegram import Bot, Update

app = FastAPI()
bot = Bot("1:bare")

@app.post("/webhook/telegram")
async def webhook(request: Request) -> Response:
    Update.de_json(await request.json(), bot)
    return Response(status_code=200)
"""


async def seed(url: str) -> list[tuple[int, int]]:
    """HAMLETS hamlets of MEMBERS_PER_HAMLET members; (user id, group chat id) pairs."""
    return await seed_commune(url, hamlets=HAMLETS, members=MEMBERS_PER_HAMLET)


def updates(users: list[tuple[int, int]]) -> list[list[dict]]:
    """Per-user sequences (a guided flow's steps must stay in order); users run concurrently."""
    rng = random.Random(7)
    sequences, update_id = [], 1
    for user_id, group_id in users:
        steps = []
        guided = rng.random() < 0.3
        texts = GUIDED if guided else [rng.choice(PHRASES) for _ in range(rng.randint(1, 3))]
        for text in texts:
            text = text.format(a=rng.randint(1, 9), b=rng.randint(1, 5), c=rng.randint(1, 12))
            in_group = not guided and rng.random() < 0.4
            chat = (
                {"id": group_id, "type": "group", "title": "Nhóm"}
                if in_group
                else {"id": user_id, "type": "private"}
            )
            sender = {"id": user_id, "is_bot": False, "first_name": "TV"}
            if text in ("done", "yes") or text.startswith(("day:", "ind:")):
                message = {
                    "message_id": 1,
                    "date": 0,
                    "chat": chat,
                    "from": {"id": 1, "is_bot": True, "first_name": "B"},
                }
                body = {
                    "id": str(update_id),
                    "from": sender,
                    "chat_instance": "x",
                    "data": text,
                    "message": message,
                }
                steps.append({"update_id": update_id, "callback_query": body})
            else:
                message = {
                    "message_id": update_id,
                    "date": 0,
                    "chat": chat,
                    "from": sender,
                    "text": text,
                }
                steps.append({"update_id": update_id, "message": message})
            update_id += 1
        sequences.append(steps)
    return sequences


async def post(reader, writer, port: int, body: bytes) -> int:
    """One POST on a kept-alive connection; returns the status code.

    Written on asyncio streams because an HTTP client library costs more CPU per request than the
    bare endpoint does, on the same two cores, and would make the client the bottleneck.
    """
    writer.write(
        b"POST /webhook/telegram HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
        b"Content-Type: application/json\r\nX-Telegram-Bot-Api-Secret-Token: %s\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (port, SECRET.encode(), len(body), body)
    )
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = re.search(rb"(?i)content-length: *(\d+)", head)
    if length:
        await reader.readexactly(int(length.group(1)))
    return status


async def load(
    port: int, sequences: list[list[dict]], limit: int
) -> tuple[float, list[float], int]:
    """Post at most `limit` updates with CONCURRENCY users in flight; returns (seconds, latencies, errors)."""
    queue = [[json.dumps(update).encode() for update in steps] for steps in sequences]
    latencies: list[float] = []
    errors = 0
    budget = [limit]

    async def worker() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while queue and budget[0] > 0:
                for body in queue.pop():
                    if budget[0] <= 0:
                        return
                    budget[0] -= 1
                    started = time.perf_counter()
                    status = await post(reader, writer, port, body)
                    latencies.append(time.perf_counter() - started)
                    errors += status != 200
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return time.perf_counter() - started, latencies, errors


def cpu_seconds(process: subprocess.Popen) -> float:
    """CPU time the server process has used so far, all its threads (Linux /proc; else 0)."""
    try:
        fields = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def measure(process: subprocess.Popen, port: int, sequences, count: int) -> tuple:
    """Load one server; returns (seconds, latencies, errors, server CPU seconds)."""
    before = cpu_seconds(process)
    result = await load(port, [list(s) for s in sequences], count)
    return (*result, cpu_seconds(process) - before)


def row(name: str, seconds: float, latencies: list[float], errors: int, cpu: float) -> str:
    latencies = sorted(latencies)
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
    cpu_ms = cpu * 1000 / len(latencies)
    return (
        f"{name:<28} {len(latencies) / seconds:>9.0f} {p50:>9.1f} {p99:>9.1f} {errors:>7}"
        f" {cpu_ms:>11.2f}"
    )


async def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="tcn-bench-"))
    url = os.environ.get("DATABASE_URL") or f"sqlite+aiosqlite:///{workdir / 'bench.db'}"
    await recreate_schema(url)
    sequences = updates(await seed(url))
    total = sum(len(s) for s in sequences)
    (workdir / "bare_app.py").write_text(BARE_APP)
    uvicorn = ["uvicorn", "--log-level", "warning", "--no-access-log"]
    with (
        FakeBotApi("telegram") as api,
        running([*uvicorn, "--app-dir", str(workdir), "bare_app:app"], {}) as (bare, bare_port),
        service(url, api) as (full, full_port),  # as `tocongnghe serve` runs it in production
    ):
        count = min(N, total)
        # the bare endpoint before and after: this machine's speed drifts within a run
        bare_before = await measure(bare, bare_port, sequences, count)
        full_result = await measure(full, full_port, sequences, count)
        bare_after = await measure(bare, bare_port, sequences, count)
        await asyncio.sleep(2)  # let the sender finish delivering replies
        sent = len(api.calls("sendMessage"))
    engine = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(f"{count} updates, {CONCURRENCY} in flight, database {engine}, {os.cpu_count()} cores")
    print(
        f"{'endpoint':<28} {'updates/s':>9} {'p50 ms':>9} {'p99 ms':>9} {'errors':>7} {'CPU ms/upd':>11}"
    )
    print(row("bare (parse + 200), before", *bare_before))
    print(row("full path", *full_result))
    print(row("bare (parse + 200), after", *bare_after))
    bare_rate = statistics.mean(len(r[1]) / r[0] for r in (bare_before, bare_after))
    ratio = len(full_result[1]) / full_result[0] / bare_rate
    print(f"full / bare (mean of before and after): {ratio:.0%}; replies delivered: {sent}")


if __name__ == "__main__":
    asyncio.run(main())
