"""Watching the running service: /metrics (off unless enabled), log lines with ids and without
people's words, and a shutdown that finishes the batch in flight and closes the platform clients."""

import asyncio
import io
import json
import logging

import httpx
import pytest
import uvicorn
from sqlmodel import select

from bot.core.channel import SendError
from bot.core.replies import Reply
from config import Settings
from db.models import ProcessedUpdate, Report
from db.session import session_scope
from tests.clock import NOW
from tests.helpers import (
    SECRET,
    TelegramUser,
    WebhookChat,
    free_port,
    link_telegram,
    running_service,
    seed_commune,
)

pytestmark = pytest.mark.usefixtures("fixed_clock")
NOTE = "Hướng dẫn bà Tư cài VNeID, số 0912345678"


class Chat(WebhookChat):
    path, header = "/webhook/telegram", "X-Telegram-Bot-Api-Secret-Token"


def settings_for(telegram_api, database_url, **extra) -> Settings:
    return Settings(
        _env_file=None,
        telegram_bot_token="123456:TEST",
        telegram_api_url=telegram_api.url,
        telegram_webhook_secret=SECRET,
        database_url=database_url,
        **extra,
    )


async def reporter() -> TelegramUser:
    seed = await seed_commune()
    await link_telegram([(seed.people["Trần Thị Bình"], 501)])
    return TelegramUser(501, "Bình")


def sample(text: str, name: str, **labels: str) -> float:
    """One sample's value in Prometheus text format (0 when absent)."""
    from prometheus_client.parser import text_string_to_metric_families

    for family in text_string_to_metric_families(text):
        for found in family.samples:
            if found.name == name and found.labels == labels:
                return found.value
    return 0.0


async def test_metrics_are_off_unless_enabled(db, telegram_api, database_url):
    async with running_service(settings_for(telegram_api, database_url)) as client:
        assert (await client.get("/metrics")).status_code == 404


async def test_metrics_count_updates_sends_and_the_outbox(db, telegram_api, database_url):
    user = await reporter()
    settings = settings_for(telegram_api, database_url, metrics_enabled=True)
    async with running_service(settings) as client:
        before = (await client.get("/metrics")).text
        chat = Chat(client, telegram_api)
        update = user.message("/bc vneid 2")
        await chat.send(update)
        await chat.send(update)  # Telegram delivers again: a repeat
        telegram_api.fail_next("sendMessage", 429, "Too Many Requests", retry_after=30)
        await client.post(
            chat.path, json=user.message("/bc vneid 1"), headers={chat.header: SECRET}
        )
        await asyncio.sleep(0.5)
        after = await client.get("/metrics")
    assert after.headers["content-type"].startswith("text/plain")
    text = after.text

    def grew(name, **labels):
        return sample(text, name, **labels) - sample(before, name, **labels)

    assert grew("tcn_updates_total", platform="telegram", outcome="handled") == 2
    assert grew("tcn_updates_total", platform="telegram", outcome="repeat") == 1
    assert grew("tcn_batch_size_count") == 3
    assert grew("tcn_transaction_seconds_count") == 3
    assert grew("tcn_sends_total", platform="telegram", result="ok") == 1
    assert grew("tcn_sends_total", platform="telegram", result="throttled") == 1
    assert sample(text, "tcn_outbox_rows", state="pending") == 1  # the throttled one, waiting
    assert sample(text, "tcn_outbox_rows", state="failed") == 0
    assert "tcn_job_runs_total" in text and "tcn_render_seconds" in text


@pytest.fixture
def json_log():
    """The service's log lines as JSON (cli.logs), captured at DEBUG."""
    from cli.logs import setup_logging

    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    stream = io.StringIO()
    setup_logging(Settings(_env_file=None, log_format="json", log_level="DEBUG"), stream)
    try:
        yield stream
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


async def test_log_lines_carry_ids_and_never_what_people_wrote(
    db, telegram_api, database_url, json_log, monkeypatch
):
    from bot import router
    from scheduler import jobs

    user = await reporter()
    async with running_service(settings_for(telegram_api, database_url)) as client:
        chat = Chat(client, telegram_api)
        await chat.send(user.message(f"/bc vneid 2 {NOTE}"))
        real = router.handle

        async def failing(session, event, **kwargs):
            if "/bc" in (event.text or ""):
                raise RuntimeError("handler broke")
            return await real(session, event, **kwargs)

        monkeypatch.setattr("bot.batch.handle", failing)
        failed = user.message(f"/bc vneid 3 {NOTE}")
        await chat.send(failed)

        async def broken(session, *, now, commune, ready=None):
            raise RuntimeError("job broke")

        monkeypatch.setitem(jobs.JOBS, "reminder", broken)
        await jobs.run_job("reminder", now=NOW)
    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    assert lines, "nothing was logged"
    update = next(line for line in lines if line.get("message", "").startswith("update telegram"))
    assert update["update_id"] == f"telegram:{failed['update_id']}"
    assert update["chat_id"] == "telegram:501" and "handler broke" in update["exc_info"]
    job = next(line for line in lines if line.get("job_id"))
    assert job["job_id"] == "reminder:28468" and "job broke" in job["exc_info"]
    everything = json_log.getvalue()
    assert "0912345678" not in everything and "bà Tư" not in everything
    assert "123456:TEST" not in everything  # a Bot API URL carries the token


async def test_shutdown_finishes_the_batch_in_flight_and_closes_the_clients(
    db, telegram_api, zalo_api, database_url, monkeypatch
):
    """Uvicorn gives requests SHUTDOWN_SECONDS, then cancels them: the batch they started is
    still committed before the database goes, and the platform clients are closed."""
    from bot import batch
    from cli.app import create_app

    user = await reporter()
    real = batch._transaction
    started = asyncio.Event()

    async def slow(items, **kwargs):
        started.set()
        await asyncio.sleep(0.5)
        return await real(items, **kwargs)

    monkeypatch.setattr(batch, "_transaction", slow)
    zalo = {"zalo_bot_token": "1:ZALO", "zalo_api_url": zalo_api.url, "zalo_webhook_secret": SECRET}
    app = create_app(settings_for(telegram_api, database_url, **zalo), run_scheduler=False)
    port = free_port()
    config = uvicorn.Config(app, port=port, log_level="warning", timeout_graceful_shutdown=0.05)
    server = uvicorn.Server(config)
    serving = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    update = user.message("/bc vneid 4")
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
        posting = asyncio.create_task(
            client.post("/webhook/telegram", json=update, headers={Chat.header: SECRET})
        )
        await started.wait()
        server.should_exit = True
        await serving
        await asyncio.gather(posting, return_exceptions=True)  # cut: Telegram delivers again
    async with session_scope() as session:
        recorded = (await session.exec(select(ProcessedUpdate.update_id))).all()
        reports = (await session.exec(select(Report))).all()
    assert recorded == [str(update["update_id"])] and len(reports) == 1
    channels = app.state.service.channels
    with pytest.raises(SendError, match="not initialized"):  # its HTTP client is closed
        await channels["telegram"].send("501", Reply("after shutdown"), {})
    with pytest.raises(Exception, match="client has been closed"):
        await channels["zalo"].send("z501", Reply("after shutdown"), {})
