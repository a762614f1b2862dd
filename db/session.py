"""Async engine and sessions. Callers commit, queries never do (a batch of updates is one transaction)."""

import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path

import aiosqlite
from sqlalchemy import event, exc, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from config import get_settings

_engines: dict[str, AsyncEngine] = {}


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL lets readers run beside the writer; the busy timeout makes writers queue, not fail."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class InlineSQLite(aiosqlite.Connection):
    """aiosqlite that runs each call at once on the event loop instead of on its own thread.

    A call on a local SQLite file takes microseconds, while the hop to aiosqlite's thread and back
    (a queue, a thread switch, a wake-up of the loop) took ~10 ms per batch of updates, about 40%
    of its CPU time (bench/ingest.py). The cost: a writer in another process holding the file
    (`tocongnghe jobs run`, a migration) makes this process wait in SQLite's busy handler
    with the loop stopped; our transactions are milliseconds, so the wait is too.

    It overrides aiosqlite's private internals (`__await__`, `_execute`, `stop`, `_tx` and the
    `_connection`/`_running` attributes), so pyproject.toml pins aiosqlite and
    tests/db/test_session.py fails, naming what changed, when a new aiosqlite moves them.
    """

    def __init__(self, connector, iter_chunk_size: int) -> None:
        super().__init__(connector, iter_chunk_size)
        self._tx = _RunNow()  # SQLAlchemy puts its isolation_level setter on this queue itself

    def __await__(self):  # connect here and now; `yield from ()` makes this a generator
        self._connection = self._connector()
        yield from ()
        return self

    async def _execute(self, fn, *args, **kwargs):
        if self._connection is None:
            raise ValueError("Connection closed")
        return fn(*args, **kwargs)

    def stop(self) -> None:
        self._running = False
        if self._connection is not None:
            self._connection.close()
            self._connection = None


class _RunNow:
    """Stands in for the queue to aiosqlite's thread: runs what is put on it at once."""

    def put_nowait(self, item) -> None:
        future, function = item
        try:
            future.set_result(function())
        except Exception as error:
            future.set_exception(error)


def _read_only_pragmas(dbapi_connection, _record) -> None:
    """A reading connection can write nothing (a write raises). WAL first, in case it is the
    file's first connection: without it, a reader would hold the writer back until it is done."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA query_only=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _connect_inline(*args, **kwargs) -> InlineSQLite:
    """Called by SQLAlchemy's aiosqlite dialect with the connect arguments it made from the URL."""
    return InlineSQLite(partial(sqlite3.connect, *args, **kwargs), iter_chunk_size=64)


def ensure_sqlite_dir(url: str) -> None:
    """SQLite creates the file but not its folder (./data on a fresh checkout)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def get_engine(url: str | None = None) -> AsyncEngine:
    """The engine for `url`; a failed statement's error shows no parameters (`hide_parameters`):
    they hold people's words, names and chat ids, and errors reach the log."""
    url = url or get_settings().effective_database_url
    if url not in _engines:
        ensure_sqlite_dir(url)
        if make_url(url).get_backend_name() == "sqlite":
            # One connection: SQLite has one writer anyway, and queueing in the pool is far cheaper
            # than writers colliding in SQLite's busy handler (which sleeps up to 100 ms a try).
            engine = create_async_engine(
                url,
                connect_args={"timeout": 30, "async_creator_fn": _connect_inline},
                pool_size=1,
                max_overflow=0,
                pool_timeout=60,
                hide_parameters=True,
            )
            event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        else:
            engine = create_async_engine(
                url, pool_size=10, max_overflow=20, pool_pre_ping=True, hide_parameters=True
            )
            event.listen(engine.sync_engine, "handle_error", _broken_connection)
        _engines[url] = engine
    return _engines[url]


def _reading_engine(url: str) -> AsyncEngine:
    """SQLite: connections of their own, read-only, whose calls run on aiosqlite's thread, so a
    long read leaves the event loop and the writing connection free (WAL lets it read beside the
    writer). PostgreSQL: the one pool."""
    key = f"{url}#read"
    if make_url(url).get_backend_name() != "sqlite":
        return get_engine(url)
    if key not in _engines:
        engine = create_async_engine(
            url, connect_args={"timeout": 30}, pool_size=2, max_overflow=0, hide_parameters=True
        )
        event.listen(engine.sync_engine, "connect", _read_only_pragmas)
        _engines[key] = engine
    return _engines[key]


def _broken_connection(context) -> None:
    """asyncpg errors that leave the connection unusable count as a disconnect, so the pool drops
    it: a connection cut in the middle of an operation ("another operation is in progress", "the
    connection is closed") was handed out again and failed every transaction after it."""
    import asyncpg

    cause = getattr(context.original_exception, "__cause__", None)
    if isinstance(cause, asyncpg.exceptions._base.InternalClientError | asyncpg.InterfaceError):
        context.is_disconnect = True


def is_postgres(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def dialect_insert(session: AsyncSession):
    """The dialect's own `insert`, which has ON CONFLICT (both engines spell it the same)."""
    return pg_insert if is_postgres(session) else sqlite_insert


def by_platform(keys) -> dict[str, list[str]]:
    """Keys (platform, id, ...) grouped by platform, each platform's ids sorted and unique.

    Queries look keys up as `platform = :platform AND id IN :ids`, which both engines answer from
    the (platform, id) unique index. A row-value list, `(platform, id) IN ((…), (…))`, made
    SQLite scan the whole table and PostgreSQL every row of the platform, on every batch.
    """
    grouped: dict[str, set[str]] = {}
    for platform, key_id, *_ in keys:
        grouped.setdefault(platform, set()).add(key_id)
    return {platform: sorted(ids) for platform, ids in sorted(grouped.items())}


async def execute_core(session: AsyncSession, statement, params=None):
    """Run a Core statement on the session's connection, in its transaction, past the ORM's
    execute: ~80 µs less a statement, and the batch of updates runs a dozen (bench/batch.py).
    Only for statements that load no ORM objects: it skips the ORM's autoflush too."""
    connection = await session.connection()
    return await connection.execute(statement, params)


def held(session: AsyncSession, name: str, factory):
    """What the session's transaction keeps in memory under `name`, made by `factory` at first.

    It belongs to the transaction, not the session: after a rollback the next transaction starts
    empty, so writes an undone transaction queued never reach the database.
    """
    sync = session.sync_session
    transaction = sync.get_transaction() or sync.begin()  # begin() only marks it; no round trip
    found = sync.info.get(name)
    if found is None or found[0] is not transaction:
        found = sync.info[name] = (transaction, factory())
    return found[1]


def take_held(session: AsyncSession, name: str):
    """What the transaction keeps under `name`, now handed over (None if nothing)."""
    sync = session.sync_session
    found = sync.info.pop(name, None)
    if found is None or found[0] is not sync.get_transaction():
        return None
    return found[1]


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


class WriteWhileReading(RuntimeError):
    """A write in a read-only transaction (`read_scope`): a bug in the caller, never the
    database being unavailable, so it is not retried."""


@asynccontextmanager
async def read_scope(url: str | None = None) -> AsyncIterator[AsyncSession]:
    """A session that only reads, in a read-only transaction on a connection of its own
    (`_reading_engine`), rolled back at the end. A write in it raises (on SQLite as
    WriteWhileReading, where it would otherwise pass for a locked database)."""
    url = url or get_settings().effective_database_url
    maker = async_sessionmaker(_reading_engine(url), class_=AsyncSession, expire_on_commit=False)
    wrote = None
    async with maker() as session:
        try:
            if is_postgres(session):
                await session.execute(text("SET TRANSACTION READ ONLY"))
            yield session
        except exc.OperationalError as error:
            if getattr(error.orig, "sqlite_errorname", "") != "SQLITE_READONLY":
                raise
            wrote = str(error.orig)
        finally:
            await session.rollback()
    if wrote is not None:
        raise WriteWhileReading(wrote) from None  # not a locked database: no retry


def take_all_held(session: AsyncSession) -> dict:
    """Everything the transaction keeps (`held`), handed over to be written by another's
    (`keep_held`)."""
    sync = session.sync_session
    transaction = sync.get_transaction()
    names = [name for name, found in sync.info.items() if found[0] is transaction]
    return {name: sync.info.pop(name)[1] for name in names}


def keep_held(session: AsyncSession, kept: dict) -> None:
    """The transaction now keeps what another one queued (`take_all_held`), to write it."""
    for name, value in kept.items():
        if held(session, name, lambda value=value: value) is not value:
            raise RuntimeError(f"the transaction already keeps {name}")


# SQLSTATE classes of errors that come from the server's state, never from a statement's values:
# connection (08), resources (53), operator intervention (57: "the database system is starting
# up", pg_terminate_backend), system (58), and a transaction to retry (40: deadlock, serialization).
UNAVAILABLE_STATES = ("08", "40", "53", "57", "58")
UNAVAILABLE_TYPES = (
    OSError,  # refused, reset, timed out
    exc.OperationalError,  # SQLite: locked, disk I/O; PostgreSQL drivers that name it so
    exc.DisconnectionError,
    exc.TimeoutError,  # no pooled connection came free
)


def is_unavailable(error: BaseException) -> bool:
    """True when the error comes from the database or the connection, not from what was asked of
    it: the same work may succeed on a retry, so nothing should be recorded as its outcome."""
    seen = 0
    while error is not None and seen < 8:
        if isinstance(error, UNAVAILABLE_TYPES):
            return True
        if isinstance(error, exc.DBAPIError) and error.connection_invalidated:
            return True
        state = getattr(error, "sqlstate", None) or getattr(error, "pgcode", None)
        if isinstance(state, str) and state[:2] in UNAVAILABLE_STATES:
            return True
        # an error raised `from None` says its context is not what went wrong
        context = None if error.__suppress_context__ else error.__context__
        error = getattr(error, "orig", None) or error.__cause__ or context
        seen += 1
    return False


async def dispose_engines() -> None:
    for engine in _engines.values():
        await engine.dispose()
    _engines.clear()
