"""The engine: SQLite runs its calls on the event loop (no aiosqlite thread, and a writer in another
process still makes it wait rather than fail), and a batch's lookups use the unique indexes."""

import asyncio
import inspect
import sqlite3
import threading
from datetime import timedelta

import aiosqlite
import pytest
from sqlalchemy import text
from sqlalchemy.dialects.sqlite import aiosqlite as sqlalchemy_aiosqlite
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from bot.core import state as conversations
from bot.core.context import READ_GROUPS, READ_SENDERS
from db.models import ChatGroup, Conversation, Identity, Person, Unit, utcnow
from db.session import InlineSQLite, dispose_engines, get_engine, is_unavailable, session_scope


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite+aiosqlite:///{tmp_path / 'inline.db'}"


async def test_sqlite_runs_on_the_loop_without_a_thread(sqlite_url):
    threads = threading.active_count()
    engine = get_engine(sqlite_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE t (n INTEGER)"))
            await connection.execute(text("INSERT INTO t VALUES (1), (2)"))
            raw = await connection.get_raw_connection()
            assert isinstance(raw.driver_connection, InlineSQLite)
            assert threading.active_count() == threads
        async with engine.connect() as connection:
            assert (await connection.execute(text("SELECT sum(n) FROM t"))).scalar() == 3
            assert (await connection.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
    finally:
        await dispose_engines()


CHANGED = (
    "aiosqlite {version} changed {what}, which db.session.InlineSQLite overrides: re-read "
    "aiosqlite/core.py and fix InlineSQLite (or drop it and run SQLite on aiosqlite's thread, "
    "checking bench/ingest.py stays >= 1,000 updates/s), then move the pin in pyproject.toml"
)


def _changed(what: str) -> str:
    return CHANGED.format(version=aiosqlite.__version__, what=what)


def _source(function) -> str:
    return inspect.getsource(inspect.unwrap(function))


def test_the_aiosqlite_internals_inline_sqlite_overrides_are_still_there():
    """InlineSQLite relies on aiosqlite's private parts; this fails loudly when they move."""
    execute = aiosqlite.Connection.__dict__.get("_execute")
    assert inspect.iscoroutinefunction(execute), _changed("Connection._execute")
    assert list(inspect.signature(execute).parameters) == ["self", "fn", "args", "kwargs"], (
        _changed("the arguments of Connection._execute")
    )
    for name in ("__await__", "stop"):
        assert name in aiosqlite.Connection.__dict__, _changed(f"Connection.{name}")
    connector = object()
    plain = aiosqlite.Connection(connector, iter_chunk_size=64)
    for attribute, value in (("_connector", connector), ("_connection", None), ("_running", True)):
        assert getattr(plain, attribute, "missing") is value or (
            getattr(plain, attribute, "missing") == value
        ), _changed(f"the attribute Connection.{attribute}")
    assert hasattr(plain, "_tx"), _changed("the queue Connection._tx")


@pytest.mark.parametrize(
    ("owner", "name", "call"),
    [
        *(
            (aiosqlite.Connection, n, "self._execute(")
            for n in (
                "cursor",
                "commit",
                "rollback",
                "close",
                "execute",
                "executemany",
                "executescript",
            )
        ),
        *(
            (aiosqlite.Cursor, n, "self._execute(")
            for n in ("execute", "executemany", "fetchone", "fetchmany", "fetchall", "close")
        ),
        (aiosqlite.Cursor, "_execute", "self._conn._execute("),
    ],
)
def test_aiosqlite_still_sends_every_call_through_execute(owner, name, call):
    """InlineSQLite runs calls at once by overriding `_execute`: a call that bypasses it would go to
    a thread that never starts, and hang."""
    assert call in _source(getattr(owner, name)), _changed(f"{owner.__name__}.{name}")


def test_sqlalchemy_still_reaches_aiosqlite_only_where_inline_sqlite_answers():
    """SQLAlchemy's adapter puts its isolation_level setter on aiosqlite's queue (`_tx`), which
    InlineSQLite runs at once; any other private use would need the same."""
    source = inspect.getsource(sqlalchemy_aiosqlite)
    assert source.count("._tx.") == 1, "SQLAlchemy's aiosqlite adapter uses aiosqlite._tx anew"
    assert "_connection.stop" in source, "SQLAlchemy no longer stops aiosqlite with stop()"


async def test_changing_the_isolation_level_runs_at_once(sqlite_url):
    engine = get_engine(sqlite_url)
    try:
        async with engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            result = await asyncio.wait_for(connection.execute(text("SELECT 1")), 5)
            assert result.scalar() == 1
    finally:
        await dispose_engines()


async def test_a_write_waits_for_another_writer_instead_of_failing(sqlite_url, tmp_path):
    engine = get_engine(sqlite_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE t (n INTEGER)"))
        other = sqlite3.connect(
            tmp_path / "inline.db", isolation_level=None, check_same_thread=False
        )
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO t VALUES (1)")
        # the other writer commits 0.3 s from now, from a thread, as another process would
        release = threading.Timer(0.3, lambda: (other.execute("COMMIT"), other.close()))
        release.start()
        async with engine.begin() as connection:
            await connection.execute(text("INSERT INTO t VALUES (2)"))
        release.join()
        async with engine.connect() as connection:
            assert (await connection.execute(text("SELECT sum(n) FROM t"))).scalar() == 3
    finally:
        await dispose_engines()


async def _many_chats(session, count: int) -> None:
    """Members, linked groups and open conversations enough for the planner to pick an index."""
    unit = Unit(code="99", level="hamlet", name="Thôn", path="/99/")
    people = [Person(display_name=f"P{n}") for n in range(count)]
    session.add_all([unit, *people])
    await session.flush()
    later = utcnow() + timedelta(minutes=30)
    for n, person in enumerate(people):
        chat = str(10_000 + n)
        session.add(Identity(person_id=person.id, platform="telegram", user_id=chat))
        session.add(ChatGroup(platform="telegram", chat_id=f"-{chat}", unit_id=unit.id))
        session.add(
            Conversation(
                platform="telegram",
                chat_id=chat,
                user_id=chat,
                flow="f",
                step="s",
                expires_at=later,
            )
        )
    await session.commit()


@pytest.mark.parametrize(
    ("statement", "table", "column"),
    [
        (READ_SENDERS, "identity", "user_id"),
        (READ_GROUPS, "chatgroup", "chat_id"),
        (conversations.READ, "conversation", "chat_id"),
    ],
    ids=["senders", "groups", "conversations"],
)
async def test_a_batch_finds_its_keys_through_the_index_not_by_scanning(
    db, statement, table, column
):
    """Read for every batch of updates: a scan would cost in proportion to all members."""
    async with db() as session:
        await _many_chats(session, 300)
    params = {"platform": "telegram", "ids": ["10001", "10002", "-10003"]}
    async with db() as session:
        connection = await session.connection()
        sql = str(
            statement.params(**params).compile(
                dialect=connection.dialect, compile_kwargs={"literal_binds": True}
            )
        )
        if connection.dialect.name == "postgresql":
            await connection.execute(text(f"ANALYZE {table}"))
            await connection.execute(text("SET LOCAL enable_seqscan = off"))  # as with many rows
            plan = [row[0] for row in await connection.execute(text(f"EXPLAIN {sql}"))]
            uses = [line for line in plan if "Index Cond" in line and column in line]
        else:
            plan = [row[3] for row in await connection.execute(text(f"EXPLAIN QUERY PLAN {sql}"))]
            uses = [line for line in plan if line.startswith(f"SEARCH {table} ")]
            assert f"{column}=?" in " ".join(uses), plan
    assert uses, plan


async def test_a_failed_statement_does_not_show_its_parameters(db):
    """Parameters hold people's words and chat ids; a failed statement's error reaches the log."""
    with pytest.raises(DBAPIError) as failed:
        async with session_scope() as session:
            await session.exec(
                text("SELECT * FROM no_such_table WHERE x = :x"), params={"x": "Bí mật An"}
            )
    assert "Bí mật An" not in str(failed.value)
    assert "hide_parameters" in str(failed.value)


class Postgres(Exception):
    """Stands in for a driver error with its SQLSTATE, as asyncpg's carry one."""

    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def wrapped(error: Exception) -> DBAPIError:
    return DBAPIError("SELECT 1", None, error)


def test_errors_of_the_database_are_told_from_errors_of_an_update():
    unavailable = [
        OperationalError("SELECT 1", None, Exception("database is locked")),
        wrapped(Postgres("57P03")),  # the database system is starting up
        wrapped(Postgres("57P01")),  # terminated by pg_terminate_backend
        wrapped(Postgres("08003")),  # the connection does not exist
        wrapped(Postgres("40P01")),  # a deadlock: the same work succeeds again
        ConnectionRefusedError(),
        DBAPIError("SELECT 1", None, Exception("closed"), connection_invalidated=True),
    ]
    own = [
        IntegrityError("INSERT", None, Postgres("23505")),
        wrapped(Postgres("22001")),  # a value too long for its column
        UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed"),
        RuntimeError("a bug in a handler"),
    ]
    assert [is_unavailable(e) for e in unavailable] == [True] * len(unavailable)
    assert [is_unavailable(e) for e in own] == [False] * len(own)
