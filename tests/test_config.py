"""`.env.example` lists every setting, and a copy of it is a valid configuration."""

import re
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
    assert listed == {name.upper() for name in Settings.model_fields}
    settings = Settings(_env_file=EXAMPLE)
    assert settings.tz == "Asia/Ho_Chi_Minh"
    assert settings.effective_database_url == "sqlite+aiosqlite:///data/tocongnghe.db"
    assert settings.webchat_enabled is None and settings.link_secret


def test_an_empty_setting_in_env_means_unset(monkeypatch):
    """A copied .env leaves `WEBCHAT_ENABLED=`: startup must not fail on it."""
    monkeypatch.setenv("WEBCHAT_ENABLED", "")
    monkeypatch.setenv("TELEGRAM_RATE_PER_SECOND", " ")
    settings = Settings(_env_file=None)
    assert (settings.webchat_enabled, settings.telegram_rate_per_second) == (None, None)
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
