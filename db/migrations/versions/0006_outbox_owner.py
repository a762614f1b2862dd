"""outbox.owner and senderbeat: a restarted process settles its own `sending` rows at once

Revision ID: 0006h8
Revises: 0005
Create Date: 2026-12-03 13:00:00

A row `sending` names the process that holds it; each process records when it was last alive
with every finished send recorded. On start (or when a process is gone) its rows planned after
that moment go back to pending, the others are marked `unknown` instead of sent again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006h8"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(
            sa.Column("owner", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
    op.create_table(
        "senderbeat",
        sa.Column("owner", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("alive_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("owner"),
    )


def downgrade() -> None:
    op.drop_table("senderbeat")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("owner")
