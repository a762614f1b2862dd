"""Fan-out benchmark: the weekly leaderboard job for 10,000 hamlet group chats, sent within a limit.

Seeds COMMUNES communes × HAMLETS hamlets (400 × 25 = 10,000 by default), each hamlet with MEMBERS
members, a linked Telegram group and reports in the last two weeks (so ranks move); with
COMMUNE_GROUPS=1 every commune also has its own group, which gets the leaderboard image. Then:
  1. times the leaderboard job (`run_job`: one transaction per commune; every hamlet group gets its
     rank and totals as text, commune groups the image and the ranking);
  2. delivers the outbox through the real Telegram channel (python-telegram-bot over HTTP) to the
     local fake Bot API, the limit set on both sides: the sender's `telegram_rate_per_second=RATE`
     and the fake's 429 above RATE accepted messages in any sliding second; CONCURRENCY sends in
     flight;
  3. prints the achieved rate (accepted messages between the first and the last accepted one, per
     second) as a fraction of RATE, the 429s, and lost and duplicated messages (outbox rows compared
     with the messages the fake accepted, chat by chat).

    python bench/fanout.py                                   # SQLite file in a temp dir, 200/s
    RATE=30 COMMUNES=60 python bench/fanout.py               # Telegram's 30/s, 1,500 groups
    COMMUNE_GROUPS=1 python bench/fanout.py                  # also 400 images for commune groups
    DATABASE_URL=postgresql+asyncpg://tcn:tcn@127.0.0.1:5432/tcn_fanout python bench/fanout.py
"""

import asyncio
import collections
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, text  # noqa: E402
from sqlmodel import select  # noqa: E402

from config import Settings  # noqa: E402
from db.migrate import recreate_schema  # noqa: E402
from scheduler.sender import SERVICE_CONCURRENCY, SERVICE_PACE_MARGIN  # noqa: E402

# The fake Bot API runs in its own process, as the real one is not inside ours (in a thread it
# would share our GIL).
FAKE = """
import json, sys
sys.path.insert(0, sys.argv[1])
import tests.fakes.botapi as botapi
api = botapi.FakeBotApi("telegram", per_second=int(sys.argv[2])).start()
print(api.url, flush=True)
sys.stdin.readline()
calls = [
    [c.method, c.status, str(c.params.get("chat_id")), c.at]
    for c in api.calls()
    if c.method.startswith("send")
]
print(json.dumps({"calls": calls, "rejected": api.stats.rejected}), flush=True)
api.stop()
"""


class FakeApiProcess:
    """FakeBotApi("telegram", per_second=RATE) in a child process; `finish()` returns its calls."""

    def __enter__(self) -> "FakeApiProcess":
        self.process = subprocess.Popen(
            [sys.executable, "-c", FAKE, str(ROOT), str(RATE)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.url = self.process.stdout.readline().strip()
        return self

    def finish(self) -> dict:
        self.process.stdin.write("dump\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def __exit__(self, *exc: object) -> None:
        self.process.kill()
        self.process.wait()


COMMUNES = int(os.environ.get("COMMUNES", "400"))
HAMLETS = int(os.environ.get("HAMLETS", "25"))
MEMBERS = int(os.environ.get("MEMBERS", "3"))
COMMUNE_GROUPS = os.environ.get("COMMUNE_GROUPS", "0") == "1"
RATE = int(os.environ.get("RATE", "200"))
CONCURRENCY = int(os.environ.get("CONCURRENCY", str(SERVICE_CONCURRENCY)))
CHUNK = 2000


async def insert_rows(session, model, rows: list[dict]) -> None:
    for start in range(0, len(rows), CHUNK):
        await session.exec(insert(model).values(rows[start : start + CHUNK]))


async def seed(url: str, monday: date) -> None:
    """Units, teams, people, memberships, groups and reports, inserted in bulk with explicit ids."""
    from db.indicators import ensure_default_indicators
    from db.models import ChatGroup, Indicator, Membership, Person, Report, ReportLine, Team, Unit
    from db.session import session_scope

    rng = random.Random(47)
    units, teams, people, members, groups, reports, lines = [], [], [], [], [], [], []
    async with session_scope(url) as session:
        await ensure_default_indicators(session)
        codes = dict((await session.exec(select(Indicator.code, Indicator.id))).all())
        unit_id = person_id = report_id = 0
        for c in range(COMMUNES):
            unit_id += 1
            commune_id, commune_code = unit_id, f"9{c:04d}"
            units.append(
                dict(
                    id=commune_id,
                    code=commune_code,
                    level="commune",
                    name=f"Xã Số {c + 1}",
                    parent_id=None,
                    path=f"/{commune_code}/",
                    official=True,
                )
            )
            if COMMUNE_GROUPS:
                groups.append(
                    dict(platform="telegram", chat_id=str(-(10**6) - c), unit_id=commune_id)
                )
            for h in range(HAMLETS):
                unit_id += 1
                code = f"{commune_code}-{h + 1:02d}"
                units.append(
                    dict(
                        id=unit_id,
                        code=code,
                        level="hamlet",
                        name=f"Thôn {h + 1}",
                        parent_id=commune_id,
                        path=f"/{commune_code}/{code}/",
                        official=False,
                    )
                )
                teams.append(dict(id=unit_id, unit_id=unit_id, name=f"Tổ CNSCĐ Thôn {h + 1}"))
                groups.append(
                    dict(platform="telegram", chat_id=str(-(10**8) - unit_id), unit_id=unit_id)
                )
                for m in range(MEMBERS):
                    person_id += 1
                    people.append(dict(id=person_id, display_name=f"Thành viên {c}-{h}-{m}"))
                    members.append(
                        dict(person_id=person_id, team_id=unit_id, role="thanhvien", confirmed=True)
                    )
                    for week in (1, 2):  # last week and the week before
                        if rng.random() < 0.6:
                            report_id += 1
                            day = monday - timedelta(days=7 * week - rng.randrange(7))
                            reports.append(
                                dict(
                                    id=report_id,
                                    person_id=person_id,
                                    team_id=unit_id,
                                    activity_date=day,
                                    source="import",
                                    idempotency_key=f"bench-{report_id}",
                                    retracted=False,
                                )
                            )
                            lines.append(
                                dict(
                                    report_id=report_id,
                                    indicator_id=codes["vneid"],
                                    count=rng.randint(1, 9),
                                )
                            )
                            lines.append(
                                dict(
                                    report_id=report_id,
                                    indicator_id=codes["ho"],
                                    count=rng.randint(1, 12),
                                )
                            )
        for model, rows in (
            (Unit, units),
            (Team, teams),
            (Person, people),
            (Membership, members),
            (ChatGroup, groups),
            (Report, reports),
            (ReportLine, lines),
        ):
            await insert_rows(session, model, rows)
        await session.commit()
        await session.exec(text("ANALYZE"))  # statistics, as a live database has them
        await session.commit()


async def deliver(url: str, api: FakeApiProcess) -> tuple[float, int, float]:
    """Run the sender until no row is pending or sending: (wall seconds, rounds, CPU seconds)."""
    from db.models import Outbox
    from db.session import session_scope
    from scheduler.sender import Sender
    from webhook.telegram import make_channel

    settings = Settings(
        telegram_bot_token="1:bench",
        telegram_api_url=api.url,
        telegram_rate_per_second=float(RATE),
        database_url=url,
    )
    sender = Sender(  # as cli.app.Service builds it, with CONCURRENCY sends in flight
        {"telegram": make_channel(settings)},
        settings=settings,
        concurrency=CONCURRENCY,
        pace_margin=SERVICE_PACE_MARGIN,
    )
    started, cpu, rounds = time.perf_counter(), time.process_time(), 0
    while True:
        rounds += 1
        if await sender.run_once(limit=500):
            continue
        async with session_scope(url) as session:
            waiting = (
                await session.exec(
                    select(func.count()).where(Outbox.status.in_(["pending", "sending"]))
                )
            ).one()
        if not waiting:
            return time.perf_counter() - started, rounds, time.process_time() - cpu
        await asyncio.sleep(0.05)  # a 429's retry_after


async def main() -> None:
    from db.models import Outbox
    from db.session import dispose_engines, session_scope
    from scheduler.jobs import run_job

    workdir = Path(tempfile.mkdtemp(prefix="tcn-fanout-"))
    url = os.environ.get("DATABASE_URL") or f"sqlite+aiosqlite:///{workdir / 'fanout.db'}"
    os.environ["DATABASE_URL"] = url
    await recreate_schema(url)
    zone = Settings().zone
    monday = datetime.now(zone).replace(hour=7, minute=0, second=0, microsecond=0)
    monday -= timedelta(days=monday.weekday())
    started = time.perf_counter()
    await seed(url, monday.date())
    seeded = time.perf_counter() - started

    started = time.perf_counter()
    result = await run_job("leaderboard", now=monday)
    build = time.perf_counter() - started
    assert not result.failed, result.failed

    with FakeApiProcess() as api:
        wall, rounds, cpu = await deliver(url, api)
        found = api.finish()
    accepted = [(chat, at) for method, status, chat, at in found["calls"] if status == 200]
    rejected = found["rejected"]
    async with session_scope(url) as session:
        rows = (await session.exec(select(Outbox.chat_id, Outbox.status))).all()
    await dispose_engines()

    expected = collections.Counter(chat for chat, _ in rows)
    received = collections.Counter(chat for chat, _ in accepted)
    lost = sum(max(0, n - received[chat]) for chat, n in expected.items())
    duplicated = sum(max(0, n - expected[chat]) for chat, n in received.items())
    statuses = collections.Counter(status for _, status in rows)
    span = accepted[-1][1] - accepted[0][1]
    rate = (len(accepted) - 1) / span if span else 0.0
    engine = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    hamlet_groups = COMMUNES * HAMLETS
    commune_groups = COMMUNES if COMMUNE_GROUPS else 0
    print(
        f"{engine}: {hamlet_groups} hamlet groups + {commune_groups} commune groups in "
        f"{COMMUNES} communes × {HAMLETS} hamlets, {MEMBERS} members each (seeded in {seeded:.1f} s)"
    )
    print(
        f"leaderboard job: {result.communes} communes, {len(result.ids)} messages queued in "
        f"{build:.1f} s ({commune_groups} images)"
    )
    print(
        f"delivery: {len(accepted)} accepted in {span:.1f} s = {rate:.1f} msg/s = "
        f"{rate / RATE:.1%} of the {RATE}/s limit (wall {wall:.1f} s, {CONCURRENCY} in flight, "
        f"{rounds} sender rounds, sender CPU {cpu:.1f} s); 429s from the fake: {rejected}"
    )
    print(f"outbox: {dict(statuses)}; lost {lost}; duplicated {duplicated}")


if __name__ == "__main__":
    asyncio.run(main())
