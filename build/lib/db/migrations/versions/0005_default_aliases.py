"""the field's words for the default indicators

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 10:00:00

Issue #28: the shipped catalogue learnt the words members type (đd, vđt, TTKDTM, sim cc, mã QR,
postmart, ...). Databases made before only get new indicators from the defaults, never new words
for existing ones: this adds the shipped aliases each default indicator lacks, after its own.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.indicators import DEFAULTS, merged_aliases, read_catalogue

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

indicator = sa.table("indicator", sa.column("code", sa.String), sa.column("aliases", sa.String))


def upgrade() -> None:
    bind = op.get_bind()
    shipped = {
        e["code"]: [str(a) for a in e.get("aliases") or []] for e in read_catalogue(DEFAULTS)
    }
    for code, aliases in bind.execute(sa.select(indicator.c.code, indicator.c.aliases)).all():
        if code in shipped and (merged := merged_aliases(aliases or "", shipped[code])) != aliases:
            update = indicator.update().where(indicator.c.code == code).values(aliases=merged)
            bind.execute(update)


def downgrade() -> None:
    """The added words stay: they are harmless, and an official may have come to rely on them."""
