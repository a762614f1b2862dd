"""`.env.example` lists every setting, and a copy of it is a valid configuration."""

import re
import subprocess
import sys
from contextlib import asynccontextmanager
from pathlib import Path

import httpx

from config import Settings
from webhook.app import make_app

EXAMPLE = Path(__file__).resolve().parents[1] / ".env.example"


def test_env_example_lists_every_setting_and_parses(monkeypatch):
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    listed = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", EXAMPLE.read_text(encoding="utf-8"), re.M))
    compose = {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"}  # read by compose.yaml only
    assert listed - compose == {name.upper() for name in Settings.model_fields}
    settings = Settings(_env_file=EXAMPLE)
    assert settings.tz == "Asia/Ho_Chi_Minh"
    assert settings.effective_database_url == "sqlite+aiosqlite:///data/tocongnghe.db"
    assert settings.webchat_enabled is None and settings.link_secret


def test_an_empty_setting_in_env_means_unset(monkeypatch):
    """A copied .env leaves `WEBCHAT_ENABLED=`: startup must not fail on it."""
    monkeypatch.setenv("WEBCHAT_ENABLED", "")
    monkeypatch.setenv("TELEGRAM_RATE_PER_SECOND", " ")
    monkeypatch.setenv("ZALO_CHAT_PER_SECOND", "")
    settings = Settings(_env_file=None)
    assert (settings.webchat_enabled, settings.telegram_rate_per_second) == (None, None)
    assert settings.zalo_chat_per_second is None
    monkeypatch.setenv("WEBCHAT_ENABLED", "false")
    assert Settings(_env_file=None).webchat_enabled is False


async def test_the_api_pages_are_off_unless_enabled():
    @asynccontextmanager
    async def nothing(app):
        yield

    for enabled, status in ((False, 404), (True, 200)):
        app = make_app(Settings(_env_file=None, api_docs_enabled=enabled), lifespan=nothing)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            for path in ("/docs", "/redoc", "/openapi.json"):
                assert (await client.get(path)).status_code == status, (path, enabled)


def test_a_platform_token_asks_for_strong_secrets():
    strong = {"link_secret": "k" * 32, "telegram_webhook_secret": "w" * 16}
    assert Settings(_env_file=None).weak_secrets() == []  # no token: the local web chat
    assert Settings(_env_file=None, telegram_bot_token="1:T", **strong).weak_secrets() == []
    weak = Settings(_env_file=None, telegram_bot_token="1:T", telegram_webhook_secret="short")
    assert weak.weak_secrets() == ["LINK_SECRET (>= 32)", "TELEGRAM_WEBHOOK_SECRET (>= 16)"]
    zalo = Settings(_env_file=None, zalo_bot_token="1:Z", **strong)
    assert zalo.weak_secrets() == ["ZALO_WEBHOOK_SECRET (>= 16)"]


def test_serve_refuses_weak_secrets(tmp_path):
    from tests.cli.serving import service_env

    database = f"sqlite+aiosqlite:///{tmp_path}/t.db"
    env = service_env(database, telegram_bot_token="1:T", telegram_webhook_secret="short")
    env.pop("LINK_SECRET")
    command = [sys.executable, "-m", "cli", "serve", "--no-migrate", "--port", "9"]
    refused = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True)
    assert refused.returncode == 1
    assert refused.stderr.startswith("Lỗi: có token Telegram/Zalo nên không chạy")
    assert "LINK_SECRET (>= 32), TELEGRAM_WEBHOOK_SECRET (>= 16)" in refused.stderr


def test_sqlite_with_a_platform_token_is_warned_about(capsys):
    from cli.serve import check_settings

    strong = {"link_secret": "k" * 32, "telegram_webhook_secret": "w" * 16}
    check_settings(Settings(_env_file=None, telegram_bot_token="1:T", database_url="", **strong))
    assert "SQLite with a platform token" in capsys.readouterr().err
    postgres = "postgresql+asyncpg://u:p@db/tcn"
    check_settings(
        Settings(_env_file=None, telegram_bot_token="1:T", database_url=postgres, **strong)
    )
    assert capsys.readouterr().err == ""
