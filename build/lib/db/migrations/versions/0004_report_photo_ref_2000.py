"""report.photo_ref up to 2,000 characters

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 19:20:00

A Zalo photo is kept as its CDN link, and those links carry signatures: one over 255 characters
made PostgreSQL refuse the whole report, and the member got the error answer.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("report") as batch:
        batch.alter_column(
            "photo_ref",
            existing_type=sqlmodel.sql.sqltypes.AutoString(length=255),
            type_=sqlmodel.sql.sqltypes.AutoString(length=2000),
            existing_nullable=True,
        )


def downgrade() -> None:
    with op.batch_alter_table("report") as batch:
        batch.alter_column(
            "photo_ref",
            existing_type=sqlmodel.sql.sqltypes.AutoString(length=2000),
            type_=sa.String(length=255),
            existing_nullable=True,
        )
