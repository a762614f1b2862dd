"""day totals per commune (dailytotal, dailyreporter), filled from the standing reports

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 12:00:00

Issue #21: a province's or the country's /baocao sums these rows instead of every report line.
db.rollups keeps them in the transaction of each report, edit and retraction from now on; this
fills them once from the reports already stored. The backfill is plain SQL, as the tables are at
this revision (db.rollups.rebuild does the same with the models of the day).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COMMUNE = "CASE WHEN u.level = 'hamlet' THEN u.parent_id ELSE u.id END"
STANDING = """FROM report r JOIN team t ON t.id = r.team_id JOIN unit u ON u.id = t.unit_id"""

BACKFILL = [
    f"""INSERT INTO dailytotal (unit_id, day, indicator_id, total, reports)
        SELECT {COMMUNE}, r.activity_date, l.indicator_id, sum(l.count), count(*)
        {STANDING} JOIN reportline l ON l.report_id = r.id
        WHERE NOT r.retracted
        GROUP BY {COMMUNE}, r.activity_date, l.indicator_id""",
    f"""INSERT INTO dailyreporter (unit_id, day, person_id, reports)
        SELECT {COMMUNE}, r.activity_date, r.person_id, count(*)
        {STANDING}
        WHERE NOT r.retracted
        GROUP BY {COMMUNE}, r.activity_date, r.person_id""",
]


def upgrade() -> None:
    op.create_table(
        "dailytotal",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("reports", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["indicator_id"], ["indicator.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.PrimaryKeyConstraint("unit_id", "day", "indicator_id"),
    )
    op.create_table(
        "dailyreporter",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("reports", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        sa.PrimaryKeyConstraint("unit_id", "day", "person_id"),
    )
    for statement in BACKFILL:
        op.execute(statement)
    # after the backfill: one index build is cheaper than an index kept up row by row
    with op.batch_alter_table("dailytotal") as batch:
        batch.create_index("ix_dailytotal_day", ["day"])
    with op.batch_alter_table("dailyreporter") as batch:
        batch.create_index("ix_dailyreporter_day", ["day"])


def downgrade() -> None:
    with op.batch_alter_table("dailyreporter") as batch:
        batch.drop_index("ix_dailyreporter_day")
    op.drop_table("dailyreporter")
    with op.batch_alter_table("dailytotal") as batch:
        batch.drop_index("ix_dailytotal_day")
    op.drop_table("dailytotal")
