"""Async engine and sessions. Callers commit, queries never do (a batch of updates is one transaction)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.config import get_settings

_engines: dict[str, AsyncEngine] = {}


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL lets readers run beside the writer; the busy timeout makes writers queue, not fail."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def ensure_sqlite_dir(url: str) -> None:
    """SQLite creates the file but not its folder (./data on a fresh checkout)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def get_engine(url: str | None = None) -> AsyncEngine:
    url = url or get_settings().effective_database_url
    if url not in _engines:
        ensure_sqlite_dir(url)
        if make_url(url).get_backend_name() == "sqlite":
            # One connection: SQLite has one writer anyway, and queueing in the pool is far cheaper
            # than writers colliding in SQLite's busy handler (which sleeps up to 100 ms a try).
            engine = create_async_engine(
                url, connect_args={"timeout": 30}, pool_size=1, max_overflow=0, pool_timeout=60
            )
            event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        else:
            engine = create_async_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)
        _engines[url] = engine
    return _engines[url]


def is_postgres(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def dialect_insert(session: AsyncSession):
    """The dialect's own `insert`, which has ON CONFLICT (both engines spell it the same)."""
    return pg_insert if is_postgres(session) else sqlite_insert


@asynccontextmanager
async def session_scope(url: str | None = None) -> AsyncIterator[AsyncSession]:
    """A session that rolls back on error; the caller commits."""
    maker = async_sessionmaker(get_engine(url), class_=AsyncSession, expire_on_commit=False)
    async with maker() as session:
        try:
            yield session
        except BaseException:
            await session.rollback()
            raise


async def dispose_engines() -> None:
    for engine in _engines.values():
        await engine.dispose()
    _engines.clear()
