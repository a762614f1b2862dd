"""target (period_kind, period_start) index, for summaries of large units

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 14:25:00

A province's /baocao looks up the targets of its ~5,000 units whose period may overlap the asked
one. Without this index PostgreSQL reads the whole target table (one row per hamlet, indicator and
month, growing every year); with it, one index range per kind (see bench/summary.py, docs/reports.md).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("target") as batch:
        batch.create_index("ix_target_kind_start", ["period_kind", "period_start"])


def downgrade() -> None:
    with op.batch_alter_table("target") as batch:
        batch.drop_index("ix_target_kind_start")
