"""Test database: a fresh SQLite file, or the PostgreSQL database named by TEST_DATABASE_URL.

Migrations run once per session (as in production, no create_all); every test starts with empty tables.
"""

import asyncio
import os

import pytest
import time_machine
from sqlalchemy import text
from sqlmodel import SQLModel

pytest_plugins = ["tests.fakes.fixtures"]

# A test's dialogue answers faster than anyone types: one private chat's pace (a burst of 5, then
# 1 a second: bot.core.channel) is kept in every service a test starts, at test speed. Tests of
# the pace set their own (tests/webhook/test_chat_pacing_e2e.py).
os.environ["TELEGRAM_CHAT_PER_SECOND"] = os.environ["ZALO_CHAT_PER_SECOND"] = "20"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL") or (
        f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    )
    os.environ["DATABASE_URL"] = url
    for key in ("TELEGRAM_BOT_TOKEN", "ZALO_BOT_TOKEN", "PUBLIC_BASE_URL", "ADMIN_USER_IDS"):
        os.environ.pop(key, None)
    # Files drawn in a thread and summaries read on the loop, not in processes spawned for every
    # service a test starts (seconds each); tests/bot/test_drawing_processes.py and
    # tests/bot/test_reading.py start the processes where they test them.
    os.environ["RENDER_PROCESSES"] = "0"
    os.environ["READ_PROCESSES"] = "0"
    from config import get_settings
    from db.migrate import recreate_schema

    get_settings.cache_clear()
    asyncio.run(recreate_schema(url))
    return url


async def _empty_tables(url: str) -> None:
    from db.session import get_engine

    engine = get_engine(url)
    tables = [t.name for t in reversed(SQLModel.metadata.sorted_tables)]
    async with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            await connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                await connection.execute(text(f"DELETE FROM {table}"))


@pytest.fixture
async def db(database_url):
    """An empty, migrated database with the default indicators; yields a session factory."""
    from db.indicators import ensure_default_indicators
    from db.session import session_scope

    await _empty_tables(database_url)
    async with session_scope() as session:
        await ensure_default_indicators(session)
        await session.commit()
    yield session_scope


@pytest.fixture
def fixed_clock():
    """The wall clock at tests.clock.NOW, ticking: for tests that run the service, which reads it."""
    from tests.clock import NOW

    with time_machine.travel(NOW, tick=True):
        yield NOW
