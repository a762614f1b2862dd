"""words the parser did not understand

Revision ID: 0011
Revises: 0006h8
Create Date: 2026-12-03 13:00:00

Issue #28: the words members type beside a number that no alias knows ("hồ sơ 2") are counted,
so an operator or an official can add the frequent ones as aliases.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0011"
down_revision: str | None = "0006h8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "unknown_word",
        sa.Column("word", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("seen", sa.Integer(), nullable=False),
        sa.Column("last_seen", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("word"),
    )


def downgrade() -> None:
    op.drop_table("unknown_word")
