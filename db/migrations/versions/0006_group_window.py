"""a group chat's sending window in its rate slot

Revision ID: 0006
Revises: 0010
Create Date: 2026-12-03 12:45:00

Issue #21: a group may get N messages in any 60 s window (the platform's count), not one every
60/N seconds; the slot keeps the planned times of the group's last N sends.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("rateslot") as batch:
        batch.add_column(sa.Column("recent", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("rateslot") as batch:
        batch.drop_column("recent")
