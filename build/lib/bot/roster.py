"""Roster import: the spreadsheet communes already keep becomes units, teams and people.

Idempotent: a person is found again by phone, else by name, within the same team.
"""

from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.privacy import normalize_phone
from bot.spreadsheet import Unreadable, read_table
from bot.words import fold
from db.models import Level, Person, Role, Team, Unit
from db.units import (
    add_membership,
    child_units,
    create_unit,
    ensure_team,
    has_provinces,
    load_official_units,
    team_people,
)

REQUIRED = {"province", "commune", "hamlet", "name"}
ROLE_WORDS = {word: Role(role) for word, role in texts.ROSTER_ROLE_WORDS.items()}


class NotARoster(ValueError):
    """The file cannot be read as a roster at all; nothing was imported."""


@dataclass
class RosterResult:
    people_added: int = 0
    units_added: int = 0
    rows_ok: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(spreadsheet row number, {field: text}) for every non-empty row under the header."""
    try:
        cells = read_table(path)
    except Unreadable as error:
        raise NotARoster(texts.ROSTER_UNREADABLE.format(file=path.name)) from error
    table = [[("" if v is None else str(v)).strip() for v in row] for row in cells]
    if not table:
        raise NotARoster(texts.ROSTER_NO_HEADER)
    columns = [texts.ROSTER_HEADERS.get(fold(cell)) for cell in table[0]]
    if not set(columns) >= REQUIRED:
        raise NotARoster(texts.ROSTER_NO_HEADER)
    rows = []
    for number, values in enumerate(table[1:], start=2):
        row = {col: val for col, val in zip(columns, values, strict=False) if col}
        if any(row.values()):
            rows.append((number, row))
    return rows


def _unit_key(name: str) -> str:
    folded = fold(name)
    for prefix in texts.UNIT_PREFIXES:
        if folded.startswith(prefix):
            return folded[len(prefix) :]
    return folded


async def import_roster(session: AsyncSession, path: Path) -> RosterResult:
    """Import every good row; bad rows are listed with their number and reason."""
    rows = read_rows(path)
    result = RosterResult()
    if not await has_provinces(session):
        result.units_added += await load_official_units(session)
    finder = _UnitFinder(session)
    for number, row in rows:
        problem = _check_row(row)
        if problem:
            result.errors.append((number, problem))
            continue
        province = await finder.province(row["province"])
        if province is None:
            result.errors.append((number, texts.ROSTER_NO_PROVINCE.format(name=row["province"])))
            continue
        commune = await finder.commune(province, row["commune"], row.get("district", ""))
        if commune is None:
            result.errors.append(
                (
                    number,
                    texts.ROSTER_NO_COMMUNE.format(name=row["commune"], province=province.name),
                )
            )
            continue
        role = ROLE_WORDS[fold(row.get("role", ""))]
        unit = (
            commune
            if role == Role.OFFICIAL and not row["hamlet"]
            else await finder.hamlet(commune, row["hamlet"])
        )
        team = await ensure_team(session, unit=unit, name=texts.TEAM_NAME.format(unit=unit.name))
        added = await _place_person(session, team=team, row=row, role=role)
        result.people_added += added
        result.rows_ok += 1
    result.units_added += finder.added
    return result


def _check_row(row: dict[str, str]) -> str | None:
    for column in ("province", "commune", "name"):
        if not row.get(column):
            return texts.ROSTER_MISSING.format(column=texts.ROSTER_COLUMN_NAMES[column])
    if fold(row.get("role", "")) not in ROLE_WORDS:
        return texts.ROSTER_BAD_ROLE.format(role=row["role"])
    if not row.get("hamlet") and ROLE_WORDS[fold(row.get("role", ""))] != Role.OFFICIAL:
        return texts.ROSTER_MISSING.format(column=texts.ROSTER_COLUMN_NAMES["hamlet"])
    if row.get("phone") and normalize_phone(row["phone"]) is None:
        return texts.ROSTER_BAD_PHONE.format(phone=row["phone"])
    return None


async def _place_person(
    session: AsyncSession, *, team: Team, row: dict[str, str], role: Role
) -> int:
    """Add the person to the team unless already there; returns 1 if a person was created."""
    phone = normalize_phone(row["phone"]) if row.get("phone") else None
    members = await team_people(session, team_id=team.id)
    person = next((p for p in members if phone and p.phone == phone), None) or next(
        (p for p in members if fold(p.display_name) == fold(row["name"])), None
    )
    created = person is None
    if created:
        person = Person(display_name=row["name"].strip(), phone=phone)
        session.add(person)
        await session.flush()
    elif phone and not person.phone:
        person.phone = phone
    await add_membership(session, person=person, team=team, role=role)
    return int(created)


class _UnitFinder:
    """Finds units by name (case and diacritics ignored), creating districts and hamlets as needed."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.added = 0

    async def _children(self, parent: Unit | None, level: Level) -> list[Unit]:
        parent_id = parent.id if parent else None
        return await child_units(self.session, parent_id=parent_id, level=level)

    async def _find(self, parent: Unit | None, level: Level, name: str) -> Unit | None:
        key = _unit_key(name)
        return next(
            (u for u in await self._children(parent, level) if _unit_key(u.name) == key), None
        )

    async def province(self, name: str) -> Unit | None:
        return await self._find(None, Level.PROVINCE, name)

    async def commune(self, province: Unit, name: str, district_name: str) -> Unit | None:
        """An official 2025 commune of the province; with a district column, old communes are added."""
        commune = await self._find(province, Level.COMMUNE, name)
        if commune or not district_name:
            return commune
        district = await self._find(province, Level.DISTRICT, district_name)
        if district is None:
            district = await create_unit(
                self.session, level=Level.DISTRICT, name=district_name.strip(), parent=province
            )
            self.added += 1
        commune = await self._find(district, Level.COMMUNE, name)
        if commune is None:
            commune = await create_unit(
                self.session, level=Level.COMMUNE, name=name.strip(), parent=district
            )
            self.added += 1
        return commune

    async def hamlet(self, commune: Unit, name: str) -> Unit:
        hamlet = await self._find(commune, Level.HAMLET, name)
        if hamlet is None:
            hamlet = await create_unit(
                self.session, level=Level.HAMLET, name=name.strip(), parent=commune
            )
            self.added += 1
        return hamlet
