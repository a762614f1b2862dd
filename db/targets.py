"""Targets (chỉ tiêu) per unit × indicator × month, quarter or year: set, split, list, import.

Keyword-only queries that never commit. A target is unique on (unit, indicator, kind, start), so
setting one again replaces it (an upsert) and an import can run twice. A value of 0 removes it.
"""

import csv
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import and_, delete, distinct, func, or_
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.parsing import Period, fold, month_period, quarter_period, year_period
from db.models import Indicator, Level, Membership, Target, Team, Unit
from db.session import dialect_insert
from db.summary import MEMBER_ROLES

KINDS = ("month", "quarter", "year")
KIND_WORDS = {
    "thang": "month",
    "month": "month",
    "quy": "quarter",
    "quarter": "quarter",
    "nam": "year",
    "year": "year",
}
MAX_VALUE = 10_000_000
KEY_COLUMNS = ["unit_id", "indicator_id", "period_kind", "period_start"]


# --- periods ---
def target_period(kind: str, start: date) -> Period:
    """The month, quarter or year a target with this kind and start covers."""
    if kind == "month":
        return month_period(start.year, start.month)
    if kind == "quarter":
        return quarter_period(start.year, (start.month - 1) // 3 + 1)
    return year_period(start.year)


def current_period(kind: str, today: date) -> Period:
    """The month, quarter or year that contains `today`."""
    return target_period(kind, today)


def parse_kind(text: str) -> str | None:
    """`month`, `quarter` or `year` for what people type (tháng, quý, năm), else None."""
    return KIND_WORDS.get(fold(text).replace(" ", ""))


def parse_start(kind: str, text: str) -> date | None:
    """The first day of the period written as mm/yyyy (month), Qn/yyyy (quarter) or yyyy (year)."""
    compact = fold(text).replace(" ", "")
    if kind == "month" and (match := re.fullmatch(r"(?:thang)?([0-9]{1,2})/([0-9]{4})", compact)):
        month, year = int(match.group(1)), int(match.group(2))
        return date(year, month, 1) if 1 <= month <= 12 else None
    if kind == "quarter":
        if match := re.fullmatch(r"(?:q|quy)([1-4])/([0-9]{4})", compact):
            return date(int(match.group(2)), 3 * int(match.group(1)) - 2, 1)
        if match := re.fullmatch(r"([0-9]{1,2})/([0-9]{4})", compact):
            month = int(match.group(1))
            return date(int(match.group(2)), month, 1) if month in (1, 4, 7, 10) else None
    if kind == "year" and (match := re.fullmatch(r"(?:nam)?([0-9]{4})", compact)):
        return date(int(match.group(1)), 1, 1)
    return None


def parse_value(raw) -> int | None:
    """A whole number from 0 to MAX_VALUE; "1.500" and "1,500" are fifteen hundred."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, int):
        number = raw
    elif re.fullmatch(r"[0-9]{1,3}(?:[.,][0-9]{3})+|[0-9]+", str(raw).strip()):
        number = int(re.sub(r"[.,]", "", str(raw).strip()))
    else:
        return None
    return number if 0 <= number <= MAX_VALUE else None


# --- writing ---
async def set_target(
    session: AsyncSession, *, unit_id: int, indicator_id: int, kind: str, start: date, value: int
) -> None:
    """Insert or replace one target in a single statement; 0 deletes it."""
    key = {"unit_id": unit_id, "indicator_id": indicator_id, "period_kind": kind}
    if value == 0:
        await session.exec(
            delete(Target).where(
                *(getattr(Target, column) == v for column, v in key.items()),
                Target.period_start == start,
            )
        )
        return
    insert = dialect_insert(session)
    statement = (
        insert(Target)
        .values(**key, period_start=start, value=value)
        .on_conflict_do_update(index_elements=KEY_COLUMNS, set_={"value": value})
    )
    await session.exec(statement)


def split_whole(total: int, weights: list[int]) -> list[int]:
    """Parts of `total` proportional to `weights` that add up to exactly `total`.

    Largest remainder: everybody gets the floor of their share, the leftover units go one each to
    the largest remainders (ties to the larger weight, then the earlier position). With no weight
    at all, the split is even.
    """
    if not weights:
        return []
    if sum(weights) <= 0:
        weights = [1] * len(weights)
    whole = sum(weights)
    parts = [total * w // whole for w in weights]
    order = sorted(
        range(len(weights)), key=lambda i: (-(total * weights[i] % whole), -weights[i], i)
    )
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


async def hamlet_members(session: AsyncSession, *, commune: Unit) -> list[tuple[Unit, int]]:
    """The commune's hamlets in path order, each with its confirmed members (one GROUP BY)."""
    counted = and_(
        Membership.team_id == Team.id,
        Membership.confirmed,
        Membership.role.in_(MEMBER_ROLES),
    )
    query = (
        select(Unit, func.count(distinct(Membership.person_id)))
        .select_from(Unit)
        .outerjoin(Team, Team.unit_id == Unit.id)
        .outerjoin(Membership, counted)
        .where(Unit.parent_id == commune.id, Unit.level == Level.HAMLET.value)
        .group_by(Unit.id)
        .order_by(Unit.path)
    )
    return [(unit, int(n)) for unit, n in (await session.exec(query)).all()]


async def split_target(
    session: AsyncSession,
    *,
    commune: Unit,
    indicator_id: int,
    kind: str,
    start: date,
    by_members: bool,
) -> list[tuple[Unit, int]] | None:
    """Give each hamlet its share of the commune's own target; None if the commune has none."""
    whole = await get_target(
        session, unit_id=commune.id, indicator_id=indicator_id, kind=kind, start=start
    )
    hamlets = await hamlet_members(session, commune=commune)
    if whole is None or not hamlets:
        return None
    weights = [n for _, n in hamlets] if by_members else [1] * len(hamlets)
    shares = list(zip((u for u, _ in hamlets), split_whole(whole, weights), strict=True))
    for hamlet, value in shares:
        await set_target(
            session,
            unit_id=hamlet.id,
            indicator_id=indicator_id,
            kind=kind,
            start=start,
            value=value,
        )
    return shares


# --- reading ---
async def get_target(
    session: AsyncSession, *, unit_id: int, indicator_id: int, kind: str, start: date
) -> int | None:
    query = select(Target.value).where(
        Target.unit_id == unit_id,
        Target.indicator_id == indicator_id,
        Target.period_kind == kind,
        Target.period_start == start,
    )
    return (await session.exec(query)).first()


@dataclass(frozen=True)
class TargetLine:
    """One target shown by /chitieu; `from_parts` when it is the sum of the units below."""

    period: Period
    code: str
    value: int
    from_parts: bool = False


async def targets_in_force(session: AsyncSession, *, unit: Unit, today: date) -> list[TargetLine]:
    """The unit's targets for the month, quarter and year containing `today`.

    Where the unit has no target of its own for an indicator and period, the sum of the targets of
    the units directly under it (a commune's hamlets) stands in for it. Ordered month, quarter,
    year, then by the indicator's position.
    """
    periods = {kind: current_period(kind, today) for kind in KINDS}
    in_force = [
        (Target.period_kind == kind) & (Target.period_start == p.start)
        for kind, p in periods.items()
    ]
    columns = (Target.period_kind, Indicator.code, Indicator.position)
    own = (
        select(*columns, func.sum(Target.value))
        .join(Indicator, Indicator.id == Target.indicator_id)
        .where(Target.unit_id == unit.id, Indicator.active, or_(*in_force))
        .group_by(*columns)
    )
    below = (
        select(*columns, func.sum(Target.value))
        .join(Indicator, Indicator.id == Target.indicator_id)
        .join(Unit, Unit.id == Target.unit_id)
        .where(Unit.parent_id == unit.id, Indicator.active, or_(*in_force))
        .group_by(*columns)
    )
    found: dict[tuple[str, str], tuple[int, TargetLine]] = {}
    for query, from_parts in ((below, True), (own, False)):  # own targets win
        for kind, code, position, value in (await session.exec(query)).all():
            line = TargetLine(periods[kind], code, int(value), from_parts)
            found[(kind, code)] = (position, line)
    order = {kind: n for n, kind in enumerate(KINDS)}
    ranked = sorted(found.items(), key=lambda item: (order[item[0][0]], item[1][0], item[0][1]))
    return [line for _, (_, line) in ranked if line.value]


# --- import ---
HEADERS = {
    "ma don vi": "unit",
    "ma dv": "unit",
    "don vi": "unit",
    "chi tieu": "indicator",
    "ma chi tieu": "indicator",
    "ky": "kind",
    "loai ky": "kind",
    "bat dau": "start",
    "ky bat dau": "start",
    "tu": "start",
    "gia tri": "value",
    "so luong": "value",
    "chi tieu giao": "value",
}
COLUMN_NAMES = {
    "unit": "Mã đơn vị",
    "indicator": "Chỉ tiêu",
    "kind": "Kỳ",
    "start": "Bắt đầu",
    "value": "Giá trị",
}
START_EXAMPLES = {"month": "mm/yyyy, ví dụ 11/2026", "quarter": "Qn/yyyy, ví dụ Q4/2026"}
START_EXAMPLES["year"] = "yyyy, ví dụ 2026"


class NotATargetFile(ValueError):
    """The file cannot be read as a table of targets at all; nothing was imported."""


@dataclass
class TargetImport:
    imported: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def _header(cell: str) -> str | None:
    """The field for a header cell; a note in brackets ("Kỳ (thang/quy/nam)") is ignored."""
    return HEADERS.get(fold(re.sub(r"\(.*?\)", "", cell)))


def read_target_rows(path: Path) -> list[tuple[int, dict]]:
    """(spreadsheet row number, {field: cell}) for every non-empty row under the header."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".xlsx":
            sheet = load_workbook(path, read_only=True, data_only=True).active
            table = [list(row) for row in sheet.iter_rows(values_only=True)]
        elif suffix == ".csv":
            with path.open(encoding="utf-8-sig", newline="") as handle:
                table = [list(row) for row in csv.reader(handle)]
        else:
            raise NotATargetFile(texts.TARGET_FILE_UNREADABLE.format(file=path.name))
    except (OSError, ValueError, KeyError) as error:
        if isinstance(error, NotATargetFile):
            raise
        raise NotATargetFile(texts.TARGET_FILE_UNREADABLE.format(file=path.name)) from error
    columns = [_header(str(cell or "")) for cell in table[0]] if table else []
    if not set(columns) >= set(COLUMN_NAMES):
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


async def import_targets(session: AsyncSession, path: Path) -> TargetImport:
    """Upsert every good row; bad rows are listed with their row number and the reason."""
    rows = read_target_rows(path)
    units = await _codes_to_ids(session, Unit, {str(r.get("unit") or "").strip() for _, r in rows})
    indicators = await _codes_to_ids(
        session, Indicator, {str(r.get("indicator") or "").strip().lower() for _, r in rows}
    )
    result = TargetImport()
    for number, row in rows:
        checked = _check_row(row, units, indicators)
        if isinstance(checked, str):
            result.errors.append((number, checked))
            continue
        await set_target(session, **checked)
        result.imported += 1
    return result


async def _codes_to_ids(session: AsyncSession, model, codes: set[str]) -> dict[str, int]:
    query = select(model.code, model.id).where(model.code.in_(sorted(codes - {""})))
    return dict((await session.exec(query)).all())


def _check_row(row: dict, units: dict[str, int], indicators: dict[str, int]) -> dict | str:
    """The target a row sets, or why it cannot be imported."""
    for column, name in COLUMN_NAMES.items():
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
        return texts.TARGET_ROW_START.format(start=row["start"], example=START_EXAMPLES[kind])
    value = parse_value(row["value"])
    if value is None:
        return texts.TARGET_ROW_VALUE.format(
            value=row["value"], max=f"{MAX_VALUE:,}".replace(",", ".")
        )
    return {
        "unit_id": units[unit],
        "indicator_id": indicators[indicator],
        "kind": kind,
        "start": start,
        "value": value,
    }


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
