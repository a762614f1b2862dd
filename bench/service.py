"""What the benchmarks share: the service started as `tocongnghe serve` runs it, over HTTP, and
the commune they seed for it.

Imported by a bench script after it has put the repository on sys.path.
"""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from bot import texts
from tests.fakes.botapi import FakeBotApi
from tests.helpers import free_port

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-secret-0123456789"  # the Telegram webhook's secret token
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET}


@contextmanager
def running(command: list[str], env: dict) -> Iterator[tuple[subprocess.Popen, int]]:
    """`python -m <command> --port P` in its own process, once it answers; (process, P)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", *command, "--port", str(port)], env={**os.environ, **env}, cwd=ROOT
    )
    try:
        for _ in range(200):
            try:
                httpx.post(f"http://127.0.0.1:{port}/", timeout=0.2)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        else:
            raise RuntimeError("server did not start")
        yield process, port
    finally:
        process.terminate()
        process.wait()


@contextmanager
def service(url: str, api: FakeBotApi, **env: str) -> Iterator[tuple[subprocess.Popen, int]]:
    """The service on database `url`, its replies going to `api`, no scheduler; `env` adds or
    overrides settings."""
    settings = {
        "DATABASE_URL": url,
        "TELEGRAM_BOT_TOKEN": "123:bench",
        "TELEGRAM_API_URL": api.url,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "LINK_SECRET": "bench-link-secret-0123456789abcdef",  # the service refuses weak ones
        "SCHEDULER_ENABLED": "false",
        "PUBLIC_BASE_URL": "",
        **env,
    }
    with running(["cli", "serve", "--no-migrate", "--no-scheduler"], settings) as served:
        yield served


async def seed_commune(
    url: str, *, hamlets: int, members: int, officials: tuple[int, ...] = (), groups: int = 0
) -> list[tuple[int, int]]:
    """Commune 99001 with `hamlets` hamlets of `members` members on Telegram (user 10000 + 100 h
    + m), `officials` (Telegram user ids) in its commune team, the first `groups` hamlets' groups
    linked; returns each member's (user id, their hamlet's group chat id, `group_id(h)`)."""
    from db.indicators import ensure_default_indicators
    from db.models import ChatGroup, Identity, Level, Membership, Person, Role
    from db.session import dispose_engines, session_scope
    from db.units import create_unit, ensure_team

    people, users = [], []
    async with session_scope(url) as session:
        await ensure_default_indicators(session)
        commune = await create_unit(
            session, level=Level.COMMUNE, name="Xã Bench", parent=None, code="99001"
        )
        for h in range(hamlets):
            hamlet = await create_unit(
                session, level=Level.HAMLET, name=f"Thôn {h + 1}", parent=commune
            )
            team = await ensure_team(
                session, unit=hamlet, name=texts.TEAM_NAME.format(unit=hamlet.name)
            )
            if h < groups:
                session.add(
                    ChatGroup(platform="telegram", chat_id=str(group_id(h)), unit_id=hamlet.id)
                )
            for m in range(members):
                user_id = 10_000 + h * 100 + m
                people.append((user_id, team.id, Role.MEMBER, f"Thành viên {h}-{m}"))
                users.append((user_id, group_id(h)))
        if officials:
            team = await ensure_team(session, unit=commune, name="Tổ xã")
            people += [(user, team.id, Role.OFFICIAL, f"Cán bộ {user}") for user in officials]
        for user_id, team_id, role, name in people:
            person = Person(display_name=name)
            session.add(person)
            await session.flush()
            session.add(Identity(person_id=person.id, platform="telegram", user_id=str(user_id)))
            session.add(Membership(person_id=person.id, team_id=team_id, role=role))
        await session.commit()
    await dispose_engines()
    return users


def group_id(hamlet: int) -> int:
    """The Telegram chat id of hamlet number `hamlet`'s group (linked or not)."""
    return -(500_000 + hamlet)
