"""The SQLite engine runs its calls on the event loop: no aiosqlite thread, and a writer in another
process still makes it wait (busy timeout) rather than fail."""

import sqlite3
import threading

import pytest
from sqlalchemy import text

from db.session import InlineSQLite, dispose_engines, get_engine


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
