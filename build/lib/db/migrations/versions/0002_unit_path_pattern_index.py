"""unit.path index usable for LIKE 'prefix%' on PostgreSQL

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 14:05:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("unit") as batch:
        batch.drop_index("ix_unit_path")
        batch.create_index("ix_unit_path", ["path"], postgresql_ops={"path": "varchar_pattern_ops"})


def downgrade() -> None:
    with op.batch_alter_table("unit") as batch:
        batch.drop_index("ix_unit_path")
        batch.create_index("ix_unit_path", ["path"])
