"""Run Alembic migrations from code (`tocongnghe db upgrade`), with no alembic.ini to find."""

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config

from config import get_settings
from db.session import ensure_sqlite_dir

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url or get_settings().effective_database_url)
    return config


def upgrade(url: str | None = None, revision: str = "head") -> None:
    url = url or get_settings().effective_database_url
    ensure_sqlite_dir(url)
    command.upgrade(alembic_config(url), revision)


async def recreate_schema(url: str) -> None:
    """Drop everything in the database and migrate it again: for tests and benchmarks only.

    SQLite needs nothing dropped when its file is new; PostgreSQL drops and recreates `public`.
    """
    if url.startswith("postgresql"):
        from sqlalchemy import text
        from sqlalchemy.ext.asyncio import create_async_engine

        engine = create_async_engine(url)
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
        await engine.dispose()
    await asyncio.to_thread(upgrade, url)
