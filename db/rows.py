"""The rows of a summary: which units they are, and the SQL that maps every unit to its row.

A hamlet is one row (itself); a commune has one row per hamlet under it; a district or a province
has one row per commune under it (its own hamlets and its own team rolled up), so the same code
serves a district and a province. The whole country (`COUNTRY`, a synthetic root with path "/")
has one row per province. A team's unit is mapped to its row in SQL (`row_map`): a hamlet is its
own row, or in a roll-up, its parent commune's (or its province, for the country).
"""

from collections import defaultdict

from sqlalchemy import Integer, case, cast, literal, null, union_all
from sqlalchemy.orm import aliased
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from db.models import Level, Unit

COUNTRY = "country"  # the level of the synthetic root above every province (path "/")


def row_level(unit: Unit) -> str:
    """Hamlet rows for a hamlet or a commune, province rows for the country, else commune rows."""
    if unit.level in (Level.HAMLET, Level.COMMUNE):
        return Level.HAMLET.value
    return Level.PROVINCE.value if unit.level == COUNTRY else Level.COMMUNE.value


async def row_units(session: AsyncSession, *, unit: Unit) -> list[Unit]:
    """The units that are the rows of `unit`'s summary, in path order."""
    if unit.level == Level.HAMLET:
        return [unit]
    if unit.level == Level.COMMUNE:
        query = select(Unit).where(Unit.parent_id == unit.id, Unit.level == Level.HAMLET.value)
    elif unit.level == COUNTRY:
        query = select(Unit).where(Unit.level == Level.PROVINCE.value)
    else:
        query = select(Unit).where(
            Unit.level == Level.COMMUNE.value,
            Unit.path.startswith(unit.path, autoescape=True),
            Unit.id != unit.id,
        )
    return list((await session.exec(query.order_by(Unit.path))).all())


def row_map(unit: Unit, level: str | None, *, hamlets: bool = True):
    """Subquery: every unit under `unit` (by `path LIKE prefix%`) with the id of its row.

    `row_id` is the unit itself for hamlet rows; for commune rows a hamlet maps to its parent
    commune; for province rows every unit maps to its province through up to three parents. Ids
    that are no row (a team of the commune or district itself) count only in totals. `level` is
    the unit's level and `sub_id` its commune (a hamlet's parent, a commune itself), for targets.
    Without a row `level`, only `unit_id`. Without `hamlets`, the units a day total is kept for
    (`db.rollups`): a map of thousands of rows for the whole country, not a hundred thousand.
    """
    under = aliased(Unit)
    query = select(under.id.label("unit_id"))
    hamlet, commune, province = Level.HAMLET.value, Level.COMMUNE.value, Level.PROVINCE.value
    if level == province:
        up1, up2, up3 = aliased(Unit), aliased(Unit), aliased(Unit)
        row_id = case(
            (under.level == province, under.id),
            (up1.level == province, up1.id),
            (up2.level == province, up2.id),
            else_=up3.id,
        )
        query = (
            query.outerjoin(up1, up1.id == under.parent_id)
            .outerjoin(up2, up2.id == up1.parent_id)
            .outerjoin(up3, up3.id == up2.parent_id)
        )
    elif level == commune:
        row_id = case((under.level == hamlet, under.parent_id), else_=under.id)
    else:
        row_id = under.id
    if level is not None:
        sub_id = case((under.level == hamlet, under.parent_id), (under.level == commune, under.id))
        query = query.add_columns(
            row_id.label("row_id"), sub_id.label("sub_id"), under.level.label("level")
        )
    query = query.where(under.path.startswith(unit.path, autoescape=True))
    if not hamlets:
        query = query.where(under.level != hamlet)
    return query.subquery("row_map")


def province_map():
    """The keys of `ProvinceTotal` (db.rollups) to the country's rows: a province is its own row,
    0 (a team under no province) is none (it counts in the whole only)."""
    provinces = select(Unit.id.label("unit_id"), Unit.id.label("row_id")).where(
        Unit.level == Level.PROVINCE.value
    )
    none = select(literal(0).label("unit_id"), cast(null(), Integer).label("row_id"))
    return union_all(provinces, none).subquery("row_map")


def hamlet_map(commune_ids: list[int]):
    """`row_map` of hamlet rows for many communes at once: each hamlet of them is its own row."""
    return (
        select(
            Unit.id.label("unit_id"),
            Unit.id.label("row_id"),
            Unit.parent_id.label("sub_id"),
            Unit.level.label("level"),
        )
        .where(Unit.parent_id.in_(commune_ids), Unit.level == Level.HAMLET.value)
        .subquery("row_map")
    )


async def hamlets_of(session: AsyncSession, *, commune_ids: list[int]) -> dict[int, list[Unit]]:
    """The hamlets of each commune by commune id, in path order."""
    query = (
        select(Unit)
        .where(Unit.parent_id.in_(commune_ids), Unit.level == Level.HAMLET.value)
        .order_by(Unit.path)
    )
    found: dict[int, list[Unit]] = defaultdict(list)
    for hamlet in (await session.exec(query)).all():
        found[hamlet.parent_id].append(hamlet)
    return found


async def units_on_paths(session: AsyncSession, *, units: list[Unit]) -> dict[str, Unit]:
    """Every unit on the paths of `units` by code, fetching those not given in one query."""
    found = {unit.code: unit for unit in units}
    missing = {code for unit in units for code in path_codes(unit)} - found.keys()
    if missing:
        fetched = await session.exec(select(Unit).where(Unit.code.in_(sorted(missing))))
        found.update({unit.code: unit for unit in fetched.all()})
    return found


def path_codes(unit: Unit) -> list[str]:
    """The codes on a unit's path, from the top down to the unit itself."""
    return [code for code in unit.path.split("/") if code]
