"""The web chat beside a real bot token: it starts only with a password, asks for it on every
route, and its job buttons only count (#27 item 8)."""

import pytest
from sqlalchemy import func
from sqlmodel import select

from bot import texts
from bot.demo import seed_demo
from cli.app import create_app
from config import Settings
from db.models import JobRun, Outbox
from db.session import session_scope
from scheduler.jobs import run_job
from scheduler.schedule import REMINDER
from tests.clock import NOW, TODAY
from tests.helpers import running_service

pytestmark = pytest.mark.usefixtures("fixed_clock")  # the service reads the clock
PASSWORD = "a long operator password"


def beside_telegram(database_url: str, telegram_api, **fields) -> Settings:
    fields = {"webchat_enabled": True, **fields}
    return Settings(
        database_url=database_url,
        telegram_bot_token="123456:TEST",
        telegram_api_url=telegram_api.url,
        **fields,
    )


@pytest.fixture
async def web(db, database_url, telegram_api):
    async with session_scope() as session:
        await seed_demo(session, today=TODAY)
        await session.commit()
    settings = beside_telegram(database_url, telegram_api, webchat_password=PASSWORD)
    async with running_service(settings) as client:
        yield client


def test_without_a_password_beside_a_real_token_it_does_not_start(database_url, telegram_api):
    with pytest.raises(RuntimeError, match="WEBCHAT_PASSWORD"):
        create_app(beside_telegram(database_url, telegram_api))
    assert texts.WEBCHAT_NEEDS_PASSWORD
    create_app(beside_telegram(database_url, telegram_api, webchat_enabled=False))
    create_app(Settings(database_url=database_url, webchat_enabled=True))  # the demo: no token


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/"),
        ("GET", "/static/app.js"),
        ("GET", "/webchat/personas"),
        ("GET", "/webchat/messages?chat=p-u01"),
        ("POST", "/webchat/send"),
        ("POST", "/webchat/jobs/reminder"),
    ],
)
async def test_every_route_asks_for_the_password(web, method, path):
    refused = await web.request(method, path, json={})
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"].startswith("Basic")
    wrong = await web.request(method, path, json={}, auth=("operator", "guess"))
    assert wrong.status_code == 401
    right = await web.request(method, path, json={}, auth=("operator", PASSWORD))
    assert right.status_code != 401


async def test_the_job_buttons_only_count_and_leave_the_week_to_run(web):
    result = await web.post("/webchat/jobs/reminder", json={}, auth=("operator", PASSWORD))
    assert result.json()["dry_run"] is True
    counted = result.json()["messages"]
    async with session_scope() as session:
        runs = (await session.exec(select(func.count()).select_from(JobRun))).one()
        rows = (await session.exec(select(func.count()).select_from(Outbox))).one()
    assert (runs, rows) == (0, 0)
    real = await run_job(REMINDER, now=NOW)
    assert real.skipped == 0 and len(real.ids) == counted > 0
