"""Importing targets from a spreadsheet (.xlsx or .csv): read, check each row, store the good ones.

Bad rows are listed with their row number and the reason, in Vietnamese, for the person who made
the file; a file that is no table of targets at all raises `NotATargetFile`.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.spreadsheet import Unreadable, read_table
from bot.targets import MAX_VALUE, parse_kind, parse_start, parse_value
from bot.words import fold
from db.models import Indicator, Unit
from db.targets import TargetValue, ids_by_code, set_targets


class NotATargetFile(ValueError):
    """The file cannot be read as a table of targets at all; nothing was imported."""


@dataclass
class TargetImport:
    imported: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


async def import_targets(session: AsyncSession, path: Path) -> TargetImport:
    """Upsert every good row; bad rows are listed with their row number and the reason."""
    rows = read_target_rows(path)
    units = await ids_by_code(session, Unit, {str(r.get("unit") or "").strip() for _, r in rows})
    indicators = await ids_by_code(
        session, Indicator, {str(r.get("indicator") or "").strip().lower() for _, r in rows}
    )
    result = TargetImport()
    good = []
    for number, row in rows:
        checked = check_row(row, units, indicators)
        if isinstance(checked, str):
            result.errors.append((number, checked))
        else:
            good.append(checked)
    await set_targets(session, targets=good)
    result.imported = len(good)
    return result


def read_target_rows(path: Path) -> list[tuple[int, dict]]:
    """(spreadsheet row number, {field: cell}) for every non-empty row under the header."""
    try:
        table = read_table(path)
    except Unreadable as error:
        raise NotATargetFile(texts.TARGET_FILE_UNREADABLE.format(file=path.name)) from error
    columns = [_header(str(cell or "")) for cell in table[0]] if table else []
    if not set(columns) >= set(texts.TARGET_COLUMN_NAMES):
        raise NotATargetFile(texts.TARGET_FILE_NO_HEADER)
    rows = []
    for number, values in enumerate(table[1:], start=2):
        row = {
            column: value.strip() if isinstance(value, str) else value
            for column, value in zip(columns, values, strict=False)
            if column
        }
        if any(value not in (None, "") for value in row.values()):
            rows.append((number, row))
    return rows


def _header(cell: str) -> str | None:
    """The field for a header cell; a note in brackets ("Kỳ (thang/quy/nam)") is ignored."""
    return texts.TARGET_HEADERS.get(fold(re.sub(r"\(.*?\)", "", cell)))


def check_row(row: dict, units: dict[str, int], indicators: dict[str, int]) -> TargetValue | str:
    """The target a row sets, or why it cannot be imported."""
    for column, name in texts.TARGET_COLUMN_NAMES.items():
        if row.get(column) in (None, ""):
            return texts.TARGET_ROW_MISSING.format(column=name)
    unit, indicator = str(row["unit"]).strip(), str(row["indicator"]).strip().lower()
    if unit not in units:
        return texts.TARGET_ROW_UNIT.format(code=unit)
    if indicator not in indicators:
        return texts.TARGET_ROW_INDICATOR.format(code=row["indicator"])
    kind = parse_kind(str(row["kind"]))
    if kind is None:
        return texts.TARGET_ROW_KIND.format(kind=row["kind"])
    start = _cell_start(kind, row["start"])
    if start is None:
        return texts.TARGET_ROW_START.format(start=row["start"], example=texts.START_EXAMPLES[kind])
    value = parse_value(row["value"])
    if value is None:
        return texts.TARGET_ROW_VALUE.format(value=row["value"], max=texts.number(MAX_VALUE))
    return TargetValue(units[unit], indicators[indicator], kind, start, value)


def _cell_start(kind: str, raw) -> date | None:
    """A start from a cell: text, a year as a number, or a date Excel made of "11/2026"."""
    if isinstance(raw, datetime):
        raw = raw.date()
    if isinstance(raw, date):
        if kind == "year":
            return date(raw.year, 1, 1)
        return parse_start(kind, f"{raw.month}/{raw.year}")
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return parse_start(kind, str(raw))
