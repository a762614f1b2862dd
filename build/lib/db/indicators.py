"""The indicator catalogue: defaults shipped in `db/data/indicators.yaml`, more from YAML or CSV."""

import csv
from pathlib import Path

import yaml
from sqlalchemy import Row
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import Indicator
from db.session import execute_core

DEFAULTS = Path(__file__).parent / "data" / "indicators.yaml"


class CatalogueError(ValueError):
    pass


def read_catalogue(path: Path) -> list[dict]:
    """Entries with code, name, unit_label and aliases, from YAML (a list) or CSV (those headers)."""
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        entries = [
            {**row, "aliases": [a.strip() for a in (row.get("aliases") or "").split("|")]}
            for row in rows
        ]
    else:
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(entries, list):
        raise CatalogueError(f"{path}: expected a list of indicators")
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not entry.get("code") or not entry.get("name"):
            raise CatalogueError(f"{path}: entry {number} needs a code and a name")
    return entries


async def upsert_indicators(
    session: AsyncSession, entries: list[dict], *, default_unit_label: str = ""
) -> int:
    """Add new codes and update existing ones in place; returns how many were added.

    `default_unit_label` (the caller's words) stands in for an entry without a unit_label."""
    existing = {i.code: i for i in (await session.exec(select(Indicator))).all()}
    added = 0
    for position, entry in enumerate(entries, start=len(existing) + 1):
        code = str(entry["code"]).strip().lower()
        aliases = "|".join(a for a in (str(x).strip() for x in entry.get("aliases") or []) if a)
        indicator = existing.get(code)
        if indicator is None:
            indicator = Indicator(code=code, position=position * 10)
            session.add(indicator)
            added += 1
        indicator.name = str(entry["name"]).strip()
        indicator.unit_label = str(entry.get("unit_label") or default_unit_label).strip()
        indicator.aliases = aliases or code
    await session.flush()
    return added


async def ensure_default_indicators(session: AsyncSession) -> int:
    """Insert the shipped defaults that are missing; never touches indicators officials changed."""
    existing = set((await session.exec(select(Indicator.code))).all())
    missing = [e for e in read_catalogue(DEFAULTS) if e["code"] not in existing]
    return await upsert_indicators(session, missing) if missing else 0


def merged_aliases(stored: str, shipped: list[str]) -> str:
    """The stored aliases ("a|b") followed by the shipped ones they lack (compared without case):
    the first stays the short label, and nothing an official set is removed."""
    aliases = [a for a in stored.split("|") if a]
    known = {a.strip().lower() for a in aliases}
    aliases += [a for a in shipped if a.strip().lower() not in known]
    return "|".join(aliases)


ACTIVE = (
    select(*Indicator.__table__.columns)
    .where(Indicator.active)
    .order_by(Indicator.position, Indicator.id)
)


async def active_indicators(session: AsyncSession) -> list[Row]:
    """The active indicators as read-only rows (every batch of updates reads them: no ORM objects)."""
    return list((await execute_core(session, ACTIVE)).all())
