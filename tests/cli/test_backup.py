"""`tocongnghe backup` while the service runs, then the restore drill of docs/operations.md: the
restored database answers `tocongnghe report` with the reports that were made."""

import asyncio
import subprocess
import sys

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from db.session import get_engine
from tests.cli.serving import service_env
from tests.helpers import TelegramUser, WebhookChat, link_telegram, running_service, seed_commune
from tests.webhook.test_operations import settings_for

pytestmark = pytest.mark.usefixtures("fixed_clock")


class Chat(WebhookChat):
    path, header = "/webhook/telegram", "X-Telegram-Bot-Api-Secret-Token"


def tocongnghe(*args: str, database_url: str, cwd) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "cli", *args]
    env = service_env(database_url)
    return subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=120)


async def restore_postgres(database_url: str, dump) -> str:
    """The drill on PostgreSQL: an empty database, then pg_restore into it."""
    url = make_url(database_url)
    name = f"{url.database}_restore"
    async with get_engine().connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        await connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        await connection.execute(text(f"CREATE DATABASE {name}"))
    target = url.set(database=name)
    libpq = target.set(drivername="postgresql").render_as_string(hide_password=False)
    command = ["pg_restore", "--no-owner", f"--dbname={libpq}", str(dump)]
    await asyncio.to_thread(subprocess.run, command, check=True, capture_output=True)
    return target.render_as_string(hide_password=False)


async def drop_restored(restored: str) -> None:
    async with get_engine().connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        await connection.execute(text(f"DROP DATABASE IF EXISTS {make_url(restored).database}"))


async def test_a_backup_restores_with_the_reports(db, telegram_api, database_url, tmp_path):
    seed = await seed_commune()
    await link_telegram([(seed.people["Trần Thị Bình"], 501), (seed.people["Lê Văn Cường"], 502)])
    async with running_service(settings_for(telegram_api, database_url)) as client:
        chat = Chat(client, telegram_api)
        await chat.send(TelegramUser(501, "Bình").message("/bc vneid 7"))
        await chat.send(TelegramUser(502, "Cường").message("/bc vneid 5"))
        made = await asyncio.to_thread(
            tocongnghe, "backup", str(tmp_path / "copy"), database_url=database_url, cwd=tmp_path
        )  # taken while the service runs
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith(f"Backup written: {tmp_path / 'copy'} (")
    again = tocongnghe("backup", str(tmp_path / "copy"), database_url=database_url, cwd=tmp_path)
    assert again.returncode == 1 and "đã có" in again.stderr  # an old backup is never overwritten

    if database_url.startswith("sqlite"):  # the drill: the copy is the database file
        restored = f"sqlite+aiosqlite:///{tmp_path / 'copy'}"
    else:
        restored = await restore_postgres(database_url, tmp_path / "copy")
    try:
        report = await asyncio.to_thread(
            tocongnghe, "report", "--unit", "28468", "--period", "11/2026",
            database_url=restored, cwd=tmp_path,
        )  # fmt: skip
    finally:
        if not database_url.startswith("sqlite"):
            await drop_restored(restored)
    assert report.returncode == 0, report.stderr
    assert "• VNeID 12 tài khoản" in report.stdout, report.stdout
    assert "Ấp Tân Hòa — 7 lượt" in report.stdout and "Ấp Phú Thạnh — 5 lượt" in report.stdout
