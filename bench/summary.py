"""Benchmark: what /baocao costs at national scale on PostgreSQL.

    su postgres -c "createdb -O tcn tcn_bench"
    DATABASE_URL=postgresql+asyncpg://tcn:tcn@127.0.0.1:5432/tcn_bench .venv/bin/python bench/summary.py

The database named by DATABASE_URL is WIPED (schema dropped and migrated again), then filled with
INSERT … SELECT generate_series (no rows pass through Python):

- the 34 provinces and 3,321 communes of the 2025 reform (real codes), 93,500 hamlets (28 or 29 per
  commune), one team per hamlet and per commune;
- 458,000 members (4 or 5 per hamlet: a leader, a deputy, members) and one official per commune,
  each with a Telegram identity (1 in 50 unreachable);
- reports: for each of the 51 weeks before the current one, ONE report per hamlet (the team's
  counts, sent by a member that rotates week to week), 1 in 100 retracted; for the current week,
  one report per active member (6 in 10 of them), as a real week looks; every report has lines
  for vneid and ho, and dvc when non-zero (about 2.8 lines a report);
- targets: a monthly vneid target per hamlet and a monthly dvc target per commune for the last
  12 months, a yearly vneid target per province.

Then it times build_summary + format_summary_text (what /baocao does, with the comparison to the
previous period) for a commune, the largest province and the whole country, each over repeated
runs with a fresh session, and prints p50/p95. `--reuse` skips the generation.
"""

import argparse
import asyncio
import os
import statistics
import sys
import time
from datetime import date, datetime
from pathlib import Path

import asyncpg
from sqlalchemy import func
from sqlmodel import select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.dates import Period, month_period, week_period, year_period  # noqa: E402
from bot.summaries import build_leaderboard, country_unit, period_summary  # noqa: E402
from bot.summary_text import format_summary_text  # noqa: E402
from config import get_settings  # noqa: E402
from db.indicators import ensure_default_indicators  # noqa: E402
from db.member_counts import rebuild_member_counts  # noqa: E402
from db.migrate import upgrade  # noqa: E402
from db.models import Level, Unit  # noqa: E402
from db.rollups import rebuild  # noqa: E402
from db.session import dispose_engines, session_scope  # noqa: E402
from db.targets import rebuild_hamlet_targets  # noqa: E402
from db.units import load_official_units  # noqa: E402

HAMLETS = 93_500
MEMBERS = 458_000
PAST_WEEKS = 51
TARGETS = {"commune": 100, "province": 300, "country": 1000}  # p95 goals in milliseconds


# --- data ---
def _plain_url(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://")


async def generate(url: str, today: date) -> dict[str, float]:
    """Wipe and fill the database; returns seconds per step."""
    timings: dict[str, float] = {}
    connection = await asyncpg.connect(_plain_url(url))
    try:
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    finally:
        await connection.close()
    started = time.perf_counter()
    await asyncio.to_thread(upgrade, url)
    async with session_scope(url) as session:
        await ensure_default_indicators(session)
        await load_official_units(session)
        await session.commit()
    await dispose_engines()
    timings["schema, indicators, 34 provinces + 3,321 communes"] = time.perf_counter() - started

    monday = week_period(today).start
    connection = await asyncpg.connect(_plain_url(url))
    try:
        await connection.execute("SET synchronous_commit = off")
        await connection.execute("SET maintenance_work_mem = '512MB'")
        restore = await _drop_report_keys(connection)
        for label, sql, args in _steps(monday, today):
            started = time.perf_counter()
            await connection.execute(sql, *args)
            timings[label] = time.perf_counter() - started
        started = time.perf_counter()
        for statement in restore:
            await connection.execute(statement)
        timings["indexes and keys of report, reportline, target rebuilt"] = (
            time.perf_counter() - started
        )
        started = time.perf_counter()
        async with session_scope(url) as session:
            await rebuild(session)
            await rebuild_member_counts(session)
            await rebuild_hamlet_targets(session)
            await session.commit()
        timings["day totals, reporters per period, members, hamlet targets (rebuilt)"] = (
            time.perf_counter() - started
        )
        started = time.perf_counter()
        await connection.execute("VACUUM ANALYZE")
        timings["vacuum analyze"] = time.perf_counter() - started
    finally:
        await connection.close()
    return timings


async def _drop_report_keys(connection) -> list[str]:
    """Drop report, reportline and target indexes, unique and foreign keys for the bulk load (as
    pg_restore does); returns the statements that put back exactly what the migrations made."""
    tables = "('report'::regclass, 'reportline'::regclass, 'target'::regclass)"
    constraints = await connection.fetch(
        f"""SELECT conrelid::regclass::text AS tab, conname, pg_get_constraintdef(oid) AS def
            FROM pg_constraint WHERE conrelid IN {tables} AND contype IN ('u', 'f')
            ORDER BY contype DESC"""  # unique keys first on the way back: foreign keys need them
    )
    indexes = await connection.fetch(
        f"""SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
            FROM pg_index i WHERE i.indrelid IN {tables} AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)"""
    )
    for row in constraints:
        await connection.execute(f'ALTER TABLE {row["tab"]} DROP CONSTRAINT "{row["conname"]}"')
    for row in indexes:
        await connection.execute(f'DROP INDEX "{row["name"]}"')
    return [row["def"] for row in indexes] + [
        f'ALTER TABLE {row["tab"]} ADD CONSTRAINT "{row["conname"]}" {row["def"]}'
        for row in constraints
    ]


def _steps(monday: date, today: date) -> list[tuple[str, str, tuple]]:
    """The generation, one SQL statement per step."""
    member = "CASE (p.rn - 1) / $1 WHEN 0 THEN 'totruong' WHEN 1 THEN 'topho' ELSE 'thanhvien' END"
    lines = """
        INSERT INTO reportline (report_id, indicator_id, count)
        SELECT r.id, i.id, CASE i.code WHEN 'vneid' THEN 1 + (r.id * 7) % 9
                                       WHEN 'dvc' THEN (r.id * 13) % 5
                                       ELSE 1 + (r.id * 11) % 10 END
        FROM report r CROSS JOIN indicator i
        WHERE i.code IN ('vneid', 'dvc', 'ho') AND NOT (i.code = 'dvc' AND (r.id * 13) % 5 = 0)
          AND r.id > (SELECT coalesce(max(report_id), 0) FROM reportline)"""
    return [
        (
            f"{HAMLETS:,} hamlets",
            """
            INSERT INTO unit (code, level, name, parent_id, path, official)
            SELECT c.code || '-' || lpad(n::text, 2, '0'), 'hamlet', 'Thôn ' || n, c.id,
                   c.path || c.code || '-' || lpad(n::text, 2, '0') || '/', false
            FROM (SELECT id, code, path, row_number() OVER (ORDER BY id) AS rn
                  FROM unit WHERE level = 'commune') c
            CROSS JOIN generate_series(1, 29) n
            WHERE (n - 1) * (SELECT count(*) FROM unit WHERE level = 'commune') + c.rn <= $1""",
            (HAMLETS,),
        ),
        (
            "teams",
            """
            INSERT INTO team (unit_id, name)
            SELECT id, 'Tổ CNSCĐ ' || name FROM unit WHERE level IN ('hamlet', 'commune');
            """,
            (),
        ),
        (
            f"{MEMBERS:,} members + officials, identities",
            """
            WITH people AS (
                INSERT INTO person (display_name, created_at)
                SELECT 'Thành viên ' || i, now()
                FROM generate_series(1, $1 + (SELECT count(*) FROM unit WHERE level = 'commune')) i
                RETURNING id
            )
            INSERT INTO identity (person_id, platform, user_id, display_name, unreachable_at,
                                  created_at)
            SELECT id, 'telegram', id::text, '', CASE WHEN id % 50 = 0 THEN now() END, now()
            FROM people""",
            (MEMBERS,),
        ),
        (
            "memberships",
            f"""
            WITH hamlet AS (
                SELECT t.id AS team_id, row_number() OVER (ORDER BY t.id) AS k
                FROM team t JOIN unit u ON u.id = t.unit_id WHERE u.level = 'hamlet'),
            commune AS (
                SELECT t.id AS team_id, row_number() OVER (ORDER BY t.id) AS k
                FROM team t JOIN unit u ON u.id = t.unit_id WHERE u.level = 'commune'),
            p AS (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM person)
            INSERT INTO membership (person_id, team_id, role, confirmed, created_at)
            SELECT p.id, h.team_id, {member}, true, now()
            FROM p JOIN hamlet h ON h.k = (p.rn - 1) % $1 + 1 WHERE p.rn <= $2
            UNION ALL
            SELECT p.id, c.team_id, 'canbo', true, now()
            FROM p JOIN commune c ON c.k = p.rn - $2 WHERE p.rn > $2""",
            (HAMLETS, MEMBERS),
        ),
        (
            f"{PAST_WEEKS} weeks x {HAMLETS:,} team reports",
            """
            WITH hamlet AS (
                SELECT t.id AS team_id, row_number() OVER (ORDER BY t.id) AS k
                FROM team t JOIN unit u ON u.id = t.unit_id WHERE u.level = 'hamlet'),
            first AS (SELECT min(id) AS id FROM person)
            INSERT INTO report (person_id, team_id, activity_date, source, idempotency_key,
                                retracted, created_at)
            SELECT first.id + h.k - 1 + $1 * (w % 4), h.team_id,
                   $2::date - 7 * w + (h.k % 7)::int, 'telegram', 't' || w || ':' || h.k,
                   (h.k * 31 + w) % 100 = 0, now()
            FROM hamlet h CROSS JOIN generate_series(1, $3) w CROSS JOIN first""",
            (HAMLETS, monday, PAST_WEEKS),
        ),
        ("their lines", lines, ()),
        (
            "this week: a report per active member",
            """
            WITH hamlet AS (
                SELECT t.id AS team_id, row_number() OVER (ORDER BY t.id) AS k
                FROM team t JOIN unit u ON u.id = t.unit_id WHERE u.level = 'hamlet'),
            p AS (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM person)
            INSERT INTO report (person_id, team_id, activity_date, source, idempotency_key,
                                retracted, created_at)
            SELECT p.id, h.team_id, $2::date + (p.rn % 7)::int, 'telegram', 'm:' || p.rn,
                   false, now()
            FROM p JOIN hamlet h ON h.k = (p.rn - 1) % $1 + 1
            WHERE p.rn <= $3 AND (p.rn::bigint * 2654435761) % 10 < 6""",
            (HAMLETS, monday, MEMBERS),
        ),
        ("their lines", lines, ()),
        (
            "targets: hamlet months, commune months, province years",
            """
            INSERT INTO target (unit_id, indicator_id, period_kind, period_start, value)
            SELECT u.id, i.id, 'month',
                   (date_trunc('month', $1::date) - make_interval(months => m))::date,
                   CASE u.level WHEN 'hamlet' THEN 20 + u.id % 20 ELSE 300 + u.id % 200 END
            FROM unit u CROSS JOIN generate_series(0, 11) m
            JOIN indicator i ON i.code = CASE u.level WHEN 'hamlet' THEN 'vneid' ELSE 'dvc' END
            WHERE u.level IN ('hamlet', 'commune')
            UNION ALL
            SELECT u.id, i.id, 'year', make_date(extract(year FROM $1::date)::int, 1, 1), 100000
            FROM unit u JOIN indicator i ON i.code = 'vneid' WHERE u.level = 'province'""",
            (today,),
        ),
    ]


async def counts(url: str) -> dict[str, int]:
    connection = await asyncpg.connect(_plain_url(url))
    try:
        found = {}
        for table in ("unit", "person", "membership", "identity", "report", "reportline", "target"):
            found[table] = await connection.fetchval(f"SELECT count(*) FROM {table}")
        return found
    finally:
        await connection.close()


# --- timing ---
async def timed(url: str, work, runs: int, warmup: int = 2) -> list[float]:
    """Milliseconds per run, each in a fresh session (as one chat update is)."""
    times = []
    for number in range(warmup + runs):
        started = time.perf_counter()
        async with session_scope(url) as session:
            await work(session)
        if number >= warmup:
            times.append((time.perf_counter() - started) * 1000)
    return times


def summary_work(unit: Unit, period: Period, now: datetime):
    async def work(session) -> None:
        summary = await period_summary(session, unit=unit, period=period, now=now)
        format_summary_text(summary)

    return work


def board_work(unit: Unit, period: Period):
    async def work(session) -> None:
        before = period.previous()
        await build_leaderboard(
            session,
            commune=unit,
            start=period.start,
            end=period.end,
            period_label=period.label,
            previous=(before.start, before.end),
        )

    return work


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def pick_units(url: str) -> tuple[Unit, Unit]:
    """A typical commune of the largest province, and that province (most communes)."""
    async with session_scope(url) as session:
        biggest = (
            await session.exec(
                select(Unit.parent_id)
                .where(Unit.level == Level.COMMUNE.value)
                .group_by(Unit.parent_id)
                .order_by(func.count().desc())
            )
        ).first()
        province = await session.get(Unit, biggest)
        commune = (
            await session.exec(
                select(Unit).where(Unit.parent_id == province.id).order_by(Unit.code)
            )
        ).first()
        return commune, province


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="keep the data already generated")
    parser.add_argument("--runs", type=int, default=30, help="timed runs per commune case")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or get_settings().database_url
    if not url.startswith("postgresql"):
        sys.exit("DATABASE_URL must name a PostgreSQL database (it will be wiped).")
    now = datetime.now(get_settings().zone)
    today = now.date()

    if not args.reuse:
        started = time.perf_counter()
        for label, seconds in (await generate(url, today)).items():
            print(f"  {label:<58} {seconds:7.1f} s")
        print(f"Data generated in {time.perf_counter() - started:.0f} s")
    print(", ".join(f"{table}: {n:,}" for table, n in (await counts(url)).items()))

    commune, province = await pick_units(url)
    week = week_period(today)
    month = month_period(today.year, today.month)
    last_month = month.previous()  # a whole month of reports, whatever the day
    year = year_period(today.year)
    country = country_unit()
    cases = [
        ("commune", commune, week, args.runs),
        ("commune", commune, month, args.runs),
        ("commune", commune, year, max(args.runs // 3, 5)),
        ("province", province, week, max(args.runs // 2, 5)),
        ("province", province, month, max(args.runs // 3, 5)),
        ("province", province, last_month, max(args.runs // 3, 5)),
        ("country", country, week, 5),
        ("country", country, month, 5),
        ("country", country, last_month, 5),
    ]
    header = f"{'what':<28} {'unit':<32} {'period':<26} {'runs':>4} {'p50 ms':>8} {'p95 ms':>8}"
    print(header)
    print("-" * len(header))
    for scope, unit, period, runs in cases:
        times = await timed(url, summary_work(unit, period, now), runs)
        goal = TARGETS.get(scope) if scope != "commune" or period == week else None
        _row(f"/baocao {scope}", unit, period, times, goal)
    times = await timed(url, board_work(commune, week), args.runs)
    _row("/bangxephang commune", commune, week, times, None)
    await dispose_engines()


def _row(what: str, unit: Unit, period: Period, times: list[float], goal: int | None) -> None:
    p50, p95 = statistics.median(times), percentile(times, 0.95)
    verdict = "" if goal is None else (f"  ok (< {goal})" if p95 < goal else f"  MISSED (< {goal})")
    name = f"{unit.name} ({unit.code})"[:32]
    print(
        f"{what:<28} {name:<32} {period.label:<26} {len(times):>4} {p50:>8.1f} {p95:>8.1f}{verdict}"
    )


if __name__ == "__main__":
    asyncio.run(main())
