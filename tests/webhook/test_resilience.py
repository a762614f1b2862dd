"""Nothing lost, nothing doubled when the database fails under load: the real service over HTTP,
a client that retries any non-2xx as Telegram does, and a database that fails under it."""

import asyncio
import contextlib
import os

import asyncpg
import pytest
from sqlalchemy.engine import make_url
from sqlmodel import select

from bot import texts
from config import Settings
from db.models import Identity, ProcessedUpdate, Report
from db.session import session_scope
from tests.helpers import (
    ON_POSTGRES,
    SECRET,
    FailingDatabase,
    TelegramUser,
    outbox_settled,
    running_service,
    seed_commune,
)

PATH, HEADER = "/webhook/telegram", "X-Telegram-Bot-Api-Secret-Token"
USERS = {501: "Nguyễn Văn An", 502: "Trần Thị Bình", 503: "Lê Văn Cường"}
REPORTS_EACH = 20
PATIENCE = 120.0  # seconds a client keeps delivering one update (Telegram: for hours)
CUT_EVERY = float(os.environ.get("TCN_CUT_EVERY", "2"))
pytestmark = pytest.mark.usefixtures("fixed_clock")  # the service reads the clock


@pytest.fixture
def settings(telegram_api, database_url) -> Settings:
    return Settings(
        telegram_bot_token="123456:TEST",
        telegram_api_url=telegram_api.url,
        telegram_webhook_secret=SECRET,
        database_url=database_url,
    )


async def members() -> list[TelegramUser]:
    """The three people of the seeded commune, each with a Telegram identity."""
    seed = await seed_commune()
    async with session_scope() as session:
        for user_id, name in USERS.items():
            person = seed.people[name]
            session.add(Identity(person_id=person.id, platform="telegram", user_id=str(user_id)))
        await session.commit()
    return [TelegramUser(user_id, name) for user_id, name in USERS.items()]


async def deliver(client, update: dict) -> int:
    """Post until the service answers 2xx, as Telegram does; returns the number of tries."""
    deadline = asyncio.get_running_loop().time() + PATIENCE
    tries = 0
    while asyncio.get_running_loop().time() < deadline:
        tries += 1
        response = await client.post(PATH, json=update, headers={HEADER: SECRET})
        if response.status_code < 300:
            return tries
        assert response.status_code == 503, response.text
        await asyncio.sleep(0.02)
    raise AssertionError("never accepted")


async def load(client, users: list[TelegramUser]) -> tuple[list[dict], int]:
    """Every member files REPORTS_EACH reports at once; returns the updates and the retries."""
    updates = [u.message(f"/bc vneid {n}") for n in range(1, REPORTS_EACH + 1) for u in users]
    tries = await asyncio.gather(*(deliver(client, update) for update in updates))
    return updates, sum(tries) - len(updates)


async def check_once_each(updates: list[dict], telegram_api) -> None:
    """Each update stored once with its one report, each answered once, nobody told "error"."""
    await outbox_settled(timeout=30)
    async with session_scope() as session:
        reports = (await session.exec(select(Report.idempotency_key))).all()
        recorded = (await session.exec(select(ProcessedUpdate.update_id))).all()
    assert sorted(recorded) == sorted(str(u["update_id"]) for u in updates)
    assert len(reports) == len(set(reports)) == len(updates)
    sent = telegram_api.calls("sendMessage")
    assert len(sent) == len(updates)
    assert not [c for c in sent if c.params["text"] == texts.ERROR_TRY_AGAIN]
    for user_id in USERS:
        answered = [c for c in sent if str(c.params["chat_id"]) == str(user_id)]
        assert len(answered) == REPORTS_EACH


async def test_a_failing_database_loses_and_doubles_nothing(db, settings, telegram_api):
    """A third of the inbox's writes fail as in a restart: those updates are answered 503, come
    again, and are stored and answered once."""
    writes = ("INSERT INTO processedupdate", "INSERT INTO report", "INSERT INTO outbox")
    users = await members()
    async with running_service(settings) as client:
        with FailingDatabase(writes, chance=0.3) as outage:
            updates, retries = await load(client, users)
        await check_once_each(updates, telegram_api)
    assert outage.failed > 0 and retries > 0


@pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL: its connections are cut from outside")
async def test_cut_connections_lose_and_double_nothing(db, settings, telegram_api, database_url):
    """pg_terminate_backend on every connection of the service, again and again under load
    (as soon as there is one, then every CUT_EVERY seconds; TCN_CUT_EVERY to change it); the
    client retries, as Telegram does, until the service takes each update. Every cut may land in
    a batch, a commit or a send: the sender hands back what a cut interrupted at its next beat."""
    url = make_url(database_url).set(drivername="postgresql")
    killer = await asyncpg.connect(url.render_as_string(hide_password=False))
    cut = 0

    async def cut_connections() -> None:
        nonlocal cut
        while True:
            now_cut = await killer.fetchval(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            cut += now_cut
            await asyncio.sleep(CUT_EVERY if now_cut else 0.05)

    users = await members()
    try:
        async with running_service(settings) as client:
            cutter = asyncio.create_task(cut_connections())
            updates, retries = await load(client, users)
            cutter.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await cutter
            await check_once_each(updates, telegram_api)
    finally:
        await killer.close()
    assert cut > 0
