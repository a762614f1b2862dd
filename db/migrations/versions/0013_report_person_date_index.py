"""report (person_id, activity_date) index, for the checks before each report is stored

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 14:40:00

Before a report is stored the bot reads the person's reports of that day (a double send, the
daily cap). With an index on person_id and another on activity_date, SQLite picked the date one
and read every report of the day for each new report (bench/batch.py). One index on both columns
serves that read and every read by person alone, so it replaces the person_id one.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("report") as batch:
        batch.create_index("ix_report_person_date", ["person_id", "activity_date"])
        batch.drop_index("ix_report_person_id")


def downgrade() -> None:
    with op.batch_alter_table("report") as batch:
        batch.create_index("ix_report_person_id", ["person_id"])
        batch.drop_index("ix_report_person_date")
