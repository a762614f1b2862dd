"""Fan-out benchmark: the weekly leaderboard job for 10,000 group chats, delivered within a rate limit.

Seeds COMMUNES communes with HAMLETS hamlets each, every hamlet and commune with a linked Telegram
group (100 × 99 + 100 = 10,000 groups by default) and last week's reports, then
  1. times the leaderboard job (text for every group, plus the image for each commune group),
  2. delivers the outbox with WORKERS concurrent sender loops against the local fake Bot API, with
     the same limit on both sides (RATE messages/s: the sender's setting and the fake's 429 limit),
  3. prints achieved messages/s as a fraction of the limit, and lost and duplicated messages
     (outbox rows compared with the messages the fake accepted).

    python bench/fanout.py                      # SQLite in a temp dir
    DATABASE_URL=postgresql+asyncpg://... python bench/fanout.py
    RATE=30 COMMUNES=10 HAMLETS=49 python bench/fanout.py   # Telegram's real 30/s, 500 groups
"""

import asyncio
import collections
import os
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import Settings  # noqa: E402
from db.migrate import recreate_schema  # noqa: E402
from tests.fakes.botapi import FakeBotApi  # noqa: E402

COMMUNES = int(os.environ.get("COMMUNES", "100"))
HAMLETS = int(os.environ.get("HAMLETS", "99"))
RATE = float(os.environ.get("RATE", "200"))
WORKERS = int(os.environ.get("WORKERS", "8"))


async def seed(url: str, last_week: date) -> None:
    """Communes, hamlets, one member each with a report last week, and a linked group per unit."""
    from db.indicators import ensure_default_indicators
    from db.models import ChatGroup, Level, Membership, Person
    from db.reports import save_report
    from db.session import session_scope
    from db.units import create_unit, ensure_team

    async with session_scope(url) as session:
        await ensure_default_indicators(session)
        for c in range(COMMUNES):
            commune = await create_unit(
                session, level=Level.COMMUNE, name=f"Xã {c + 1}", parent=None, code=f"9{c:04d}"
            )
            session.add(
                ChatGroup(platform="telegram", chat_id=str(-(10**6) - c), unit_id=commune.id)
            )
            for h in range(HAMLETS):
                hamlet = await create_unit(
                    session, level=Level.HAMLET, name=f"Thôn {h + 1}", parent=commune
                )
                team = await ensure_team(session, unit=hamlet)
                person = Person(display_name=f"Thành viên {c}-{h}")
                session.add(person)
                await session.flush()
                session.add(Membership(person_id=person.id, team_id=team.id, role="thanhvien"))
                session.add(
                    ChatGroup(
                        platform="telegram", chat_id=str(-(10**7) - c * 1000 - h), unit_id=hamlet.id
                    )
                )
                await save_report(
                    session,
                    person_id=person.id,
                    team_id=team.id,
                    activity_date=last_week,
                    counts={"vneid": 1 + (c + h) % 9, "ho": 2 + h % 5},
                    source="import",
                    idempotency_key=f"bench-{c}-{h}",
                )
            await session.commit()


async def main() -> None:
    from db.models import Outbox
    from db.session import dispose_engines, session_scope
    from scheduler.jobs import run_job
    from scheduler.outbox import Sender
    from webhook.telegram import TelegramChannel, make_bot

    workdir = Path(tempfile.mkdtemp(prefix="tcn-fanout-"))
    url = os.environ.get("DATABASE_URL") or f"sqlite+aiosqlite:///{workdir / 'fanout.db'}"
    os.environ["DATABASE_URL"] = url
    await recreate_schema(url)
    zone = Settings().zone
    monday = datetime.now(zone).replace(hour=7, minute=0, second=0, microsecond=0)
    monday -= timedelta(days=monday.weekday())
    await seed(url, (monday - timedelta(days=3)).date())
    groups = COMMUNES * (HAMLETS + 1)

    started = time.perf_counter()
    result = await run_job("leaderboard", now=monday)
    build = time.perf_counter() - started

    with FakeBotApi("telegram", per_second=int(RATE)) as api:
        settings = Settings(
            telegram_bot_token="1:bench",
            telegram_api_url=api.url,
            telegram_rate_per_second=RATE,
            database_url=url,
        )
        sender = Sender({"telegram": TelegramChannel(make_bot(settings))}, settings=settings)
        stop = asyncio.Event()
        started = time.perf_counter()
        loops = [
            asyncio.create_task(sender.run_forever(stop, idle_seconds=0.05)) for _ in range(WORKERS)
        ]
        while True:
            async with session_scope() as session:
                from sqlmodel import func, select

                open_rows = (
                    await session.exec(
                        select(func.count()).where(Outbox.status.in_(["pending", "sending"]))
                    )
                ).one()
            if not open_rows:
                break
            await asyncio.sleep(0.2)
        elapsed = time.perf_counter() - started
        stop.set()
        await asyncio.gather(*loops)
        accepted = collections.Counter(
            str(c.params["chat_id"])
            for c in api.calls()
            if c.status == 200 and c.method.startswith("send")
        )
        rejected = api.stats.rejected
    async with session_scope() as session:
        from sqlmodel import select

        rows = (await session.exec(select(Outbox.chat_id, Outbox.status))).all()
    await dispose_engines()
    expected = collections.Counter(chat for chat, _ in rows)
    sent = sum(1 for _, status in rows if status == "sent")
    lost = sum(max(0, n - accepted[chat]) for chat, n in expected.items())
    duplicated = sum(max(0, n - expected[chat]) for chat, n in accepted.items())
    rate = sum(accepted.values()) / elapsed
    engine = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(
        f"{groups} groups ({COMMUNES} communes × {HAMLETS} hamlets + commune groups), {engine}, {WORKERS} sender loops"
    )
    print(f"leaderboard job: {len(result.ids)} messages built in {build:.1f} s ({COMMUNES} images)")
    print(
        f"delivered {sum(accepted.values())} in {elapsed:.1f} s: {rate:.1f} msg/s = {rate / RATE:.1%} of the {RATE:g}/s limit"
    )
    print(
        f"outbox rows sent {sent}/{len(rows)}; lost {lost}; duplicated {duplicated}; 429s from the fake {rejected}"
    )


if __name__ == "__main__":
    asyncio.run(main())
