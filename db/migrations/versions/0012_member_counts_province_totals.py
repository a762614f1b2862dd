"""members per unit kept (membercount), day totals per province (provincetotal), filled

Revision ID: 0012
Revises: 0007
Create Date: 2026-12-03 14:00:00

Issue #21: a province's or the country's /baocao reads its members and unreachable members from
membercount instead of every membership, and the country its sums from provincetotal (34 rows a
day and indicator, not 3,300). db.member_counts and db.rollups keep them with every change from
now on; this fills them once, in plain SQL as the tables are at this revision: the province
totals from the commune day totals, which 0007 made exact.
"""

from collections.abc import Sequence

import sqlalchemy as sa
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


def downgrade() -> None:
    with op.batch_alter_table("provincetotal") as batch:
        batch.drop_index("ix_provincetotal_day")
    op.drop_table("provincetotal")
    op.drop_table("membercount")
