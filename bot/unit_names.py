"""Units as people name them ("Ấp Tân Hòa", "tan hoa", "28468-01"), and each unit's own kind.

A hamlet is an ấp in the south, a thôn or bản in the north, a khóm or tổ dân phố in a town; its
name starts with that word, so the name says which word the replies use for it.
"""

from collections.abc import Iterable

from sqlmodel.ext.asyncio.session import AsyncSession

from bot import texts
from bot.words import fold
from db.models import Level, Unit
from db.units import units_under

NAMED_LEVELS = (Level.COMMUNE, Level.HAMLET)  # what /baocao, /chitieu find by name


def _kind_key(name: str) -> str | None:
    """The folded kind a name starts with ("ap" for "Ấp Tân Hòa"), or None."""
    folded = fold(name)
    return next((k for k in texts.UNIT_KINDS if folded.startswith(k + " ")), None)


def bare(name: str) -> str:
    """A name folded and without its kind: "Ấp Tân Hòa" and "tan hoa" are both "tan hoa"."""
    folded = " ".join(fold(name).split())
    key = _kind_key(folded)
    return folded[len(key) + 1 :] if key else folded


def kind_of(unit: Unit) -> str:
    """The unit's own kind ("ấp", "khóm", "phường"), else its level's word ("thôn", "xã")."""
    key = _kind_key(unit.name)
    return texts.UNIT_KINDS[key] if key else texts.LEVEL_WORDS.get(unit.level, unit.level)


def kind_of_all(units: Iterable, level: str) -> str:
    """The kind units share ("ấp" when every one is an ấp), else the level's word; `units` are
    anything with `level` and `name` (a Unit or a UnitRef)."""
    kinds = {kind_of(unit) for unit in units}
    return kinds.pop() if len(kinds) == 1 else texts.LEVEL_WORDS.get(level, level)


async def hamlet_kind(session: AsyncSession, *, unit: Unit) -> str:
    """What the hamlets under `unit` are called ("ấp" in a commune of ấp), for texts about them."""
    if unit.level == Level.HAMLET:
        return kind_of(unit)
    hamlets = await units_under(session, paths=[unit.path], level=Level.HAMLET)
    return kind_of_all(hamlets, Level.HAMLET)


async def units_named(session: AsyncSession, *, name: str, under: list[Unit]) -> list[Unit]:
    """The communes and hamlets under `under` (themselves included) that `name` names, with or
    without diacritics or their kind, in path order; several when the name is ambiguous."""
    wanted = bare(name)
    if not wanted or not under:
        return []
    found: dict[int, Unit] = {u.id: u for u in under if bare(u.name) == wanted}
    for level in NAMED_LEVELS:
        units = await units_under(session, paths=[u.path for u in under], level=level)
        found.update({u.id: u for u in units if bare(u.name) == wanted})
    return sorted(found.values(), key=lambda u: u.path)
