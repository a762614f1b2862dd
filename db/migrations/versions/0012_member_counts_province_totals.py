"""kept members, province day totals, reporters per period, communes' hamlet targets

Revision ID: 0012
Revises: 0007
Create Date: 2026-12-03 14:00:00

Issue #21: a province's or the country's /baocao reads its members and unreachable members from
membercount instead of every membership, and the country its sums from provincetotal (34 rows a
day and indicator, not 3,300). db.member_counts and db.rollups keep them with every change from
now on; this fills them once, in plain SQL as the tables are at this revision: the province
totals from the commune day totals, which 0007 made exact. periodcount (db.period_reporters):
distinct reporters and reports per calendar week, month, quarter and year and unit, counted from
the day rows per kind over the calendar periods of the days stored. hamlettarget (db.targets):
each commune's sum of its hamlets' targets.
"""

from collections.abc import Sequence
from datetime import date, timedelta

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0012"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BACKFILL = """
WITH seen AS (
    SELECT m.person_id AS person,
           CASE WHEN EXISTS (SELECT 1 FROM identity i WHERE i.person_id = m.person_id)
                 AND NOT EXISTS (SELECT 1 FROM identity i
                                 WHERE i.person_id = m.person_id AND i.unreachable_at IS NULL)
                THEN 1 ELSE 0 END AS lost,
           CASE WHEN u.level = 'hamlet' THEN NULL ELSE u.id END AS own,
           p1.id AS up1, p2.id AS up2, p3.id AS up3
    FROM membership m JOIN team t ON t.id = m.team_id JOIN unit u ON u.id = t.unit_id
    LEFT JOIN unit p1 ON p1.id = u.parent_id
    LEFT JOIN unit p2 ON p2.id = p1.parent_id
    LEFT JOIN unit p3 ON p3.id = p2.parent_id
    WHERE m.confirmed AND m.role IN ('thanhvien', 'topho', 'totruong')
),
shares AS (
    SELECT 0 AS unit, person, lost FROM seen
    UNION SELECT own, person, lost FROM seen WHERE own IS NOT NULL
    UNION SELECT up1, person, lost FROM seen WHERE up1 IS NOT NULL
    UNION SELECT up2, person, lost FROM seen WHERE up2 IS NOT NULL
    UNION SELECT up3, person, lost FROM seen WHERE up3 IS NOT NULL
)
INSERT INTO membercount (unit_id, members, unreachable)
SELECT unit, count(*), sum(lost) FROM shares GROUP BY unit
"""


PROVINCE_BACKFILL = """
INSERT INTO provincetotal (unit_id, day, indicator_id, total, reports)
SELECT CASE WHEN u.level = 'province' THEN u.id WHEN p1.level = 'province' THEN p1.id
            WHEN p2.level = 'province' THEN p2.id ELSE 0 END,
       d.day, d.indicator_id, sum(d.total), sum(d.reports)
FROM dailytotal d JOIN unit u ON u.id = d.unit_id
LEFT JOIN unit p1 ON p1.id = u.parent_id
LEFT JOIN unit p2 ON p2.id = p1.parent_id
GROUP BY 1, 2, 3
"""


PERIODS = ("week", "month", "quarter", "year")

PERIOD_BACKFILL = """
WITH periods (kind, first, last) AS (VALUES {values}),
seen AS (
    SELECT p.kind, p.first AS start, d.person_id AS person, d.reports, d.unit_id AS own,
           u1.id AS up1, u2.id AS up2
    FROM dailyreporter d JOIN periods p ON d.day >= p.first AND d.day <= p.last
    JOIN unit u ON u.id = d.unit_id
    LEFT JOIN unit u1 ON u1.id = u.parent_id
    LEFT JOIN unit u2 ON u2.id = u1.parent_id
),
shares AS (
    SELECT kind, start, 0 AS unit, person, reports FROM seen
    UNION ALL SELECT kind, start, own, person, reports FROM seen
    UNION ALL SELECT kind, start, up1, person, reports FROM seen WHERE up1 IS NOT NULL
    UNION ALL SELECT kind, start, up2, person, reports FROM seen WHERE up2 IS NOT NULL
),
each AS (
    SELECT kind, start, unit, sum(reports) AS reports FROM shares
    GROUP BY kind, start, unit, person
)
INSERT INTO periodcount (kind, start, unit_id, reporters, reports)
SELECT kind, start, unit, count(*), sum(reports) FROM each GROUP BY kind, start, unit
"""


def _periods(first: date, last: date) -> dict[str, set[tuple[date, date]]]:
    """The calendar periods of each kind that hold a day in [first, last]."""
    found: dict[str, set[tuple[date, date]]] = {kind: set() for kind in PERIODS}
    day = first
    while day <= last:
        week = day - timedelta(days=day.weekday())
        month = day.replace(day=1)
        quarter = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        found["week"].add((week, week + timedelta(days=6)))
        found["month"].add((month, _months_on(month, 1) - timedelta(days=1)))
        found["quarter"].add((quarter, _months_on(quarter, 3) - timedelta(days=1)))
        found["year"].add((date(day.year, 1, 1), date(day.year, 12, 31)))
        day += timedelta(days=1)
    return found


def _months_on(first: date, months: int) -> date:
    n = first.month - 1 + months
    return date(first.year + n // 12, n % 12 + 1, 1)


def _fill_periods() -> None:
    bind = op.get_bind()
    first, last = bind.execute(sa.text("SELECT min(day), max(day) FROM dailyreporter")).one()
    if first is None:
        return
    if isinstance(first, str):  # SQLite hands dates back as text
        first, last = date.fromisoformat(first), date.fromisoformat(last)
    typed = "DATE " if bind.dialect.name == "postgresql" else ""
    for kind, spans in _periods(first, last).items():  # a kind at a time: smaller sorts
        values = ", ".join(f"('{kind}', {typed}'{a}', {typed}'{b}')" for a, b in sorted(spans))
        op.execute(PERIOD_BACKFILL.format(values=values))


HAMLET_BACKFILL = """
INSERT INTO hamlettarget (unit_id, indicator_id, period_kind, period_start, value)
SELECT u.parent_id, t.indicator_id, t.period_kind, t.period_start, sum(t.value)
FROM target t JOIN unit u ON u.id = t.unit_id
WHERE u.level = 'hamlet'
GROUP BY u.parent_id, t.indicator_id, t.period_kind, t.period_start
"""


def upgrade() -> None:
    op.create_table(
        "membercount",
        sa.Column("unit_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        sa.Column("unreachable", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("unit_id"),
    )
    op.execute(BACKFILL)
    op.create_table(
        "provincetotal",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("reports", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["indicator_id"], ["indicator.id"]),
        sa.PrimaryKeyConstraint("unit_id", "day", "indicator_id"),
    )
    op.execute(PROVINCE_BACKFILL)
    with op.batch_alter_table("provincetotal") as batch:
        batch.create_index("ix_provincetotal_day", ["day"])
    op.create_table(
        "periodcount",
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("reporters", sa.Integer(), nullable=False),
        sa.Column("reports", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "start", "unit_id"),
    )
    with op.batch_alter_table("dailyreporter") as batch:
        batch.create_index("ix_dailyreporter_person_day", ["person_id", "day"])
    _fill_periods()
    op.create_table(
        "hamlettarget",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("period_kind", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["indicator_id"], ["indicator.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.PrimaryKeyConstraint("unit_id", "indicator_id", "period_kind", "period_start"),
    )
    op.execute(HAMLET_BACKFILL)
    with op.batch_alter_table("hamlettarget") as batch:
        batch.create_index("ix_hamlettarget_kind_start", ["period_kind", "period_start"])


def downgrade() -> None:
    with op.batch_alter_table("hamlettarget") as batch:
        batch.drop_index("ix_hamlettarget_kind_start")
    op.drop_table("hamlettarget")
    with op.batch_alter_table("dailyreporter") as batch:
        batch.drop_index("ix_dailyreporter_person_day")
    op.drop_table("periodcount")
    with op.batch_alter_table("provincetotal") as batch:
        batch.drop_index("ix_provincetotal_day")
    op.drop_table("provincetotal")
    op.drop_table("membercount")
