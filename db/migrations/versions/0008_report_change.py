"""the audit trail of report retractions and corrections

Revision ID: 0008
Revises: 0011
Create Date: 2026-12-03 13:00:00

Issue #22: leaders and officials correct members' reports, and every change (a member's own /huy
and /sua too) records who made it, when, and the figures before and after; /nhatky reads it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reportchange",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("new_report_id", sa.Integer(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("before", sa.JSON(), nullable=False),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["new_report_id"], ["report.id"]),
        sa.ForeignKeyConstraint(["report_id"], ["report.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_reportchange_report_id", "reportchange", ["report_id"])
    op.create_index("ix_reportchange_created_at", "reportchange", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_reportchange_created_at", table_name="reportchange")
    op.drop_index("ix_reportchange_report_id", table_name="reportchange")
    op.drop_table("reportchange")
