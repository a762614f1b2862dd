"""The migrations and the models describe the same schema (a model change needs a migration)."""

import asyncio

from alembic import command

from db.migrate import alembic_config


async def test_models_match_the_migrations(database_url):
    await asyncio.to_thread(command.check, alembic_config(database_url))


async def test_default_aliases_reach_databases_made_before(db, database_url):
    """0005 adds the shipped words a default indicator lacks, after the official's own."""
    from sqlmodel import select

    from db.models import Indicator
    from db.session import session_scope

    async with session_scope() as session:
        vneid = (await session.exec(select(Indicator).where(Indicator.code == "vneid"))).one()
        vneid.aliases = "VNeID|cài cho dân"
        await session.commit()
    config = alembic_config(database_url)
    await asyncio.to_thread(command.downgrade, config, "0004")
    await asyncio.to_thread(command.upgrade, config, "head")
    async with session_scope() as session:
        vneid = (await session.exec(select(Indicator).where(Indicator.code == "vneid"))).one()
        aliases = vneid.aliases.split("|")
    assert aliases[:2] == ["VNeID", "cài cho dân"]
    assert "đd" in aliases and "định danh" in aliases
    assert len(aliases) == len({a.lower() for a in aliases})  # VNeID not added twice


def test_merged_aliases_keep_the_stored_ones_first():
    from db.indicators import merged_aliases

    assert merged_aliases("Ví|vi", ["ví", "vđt", "VI"]) == "Ví|vi|vđt"
    assert merged_aliases("", ["a"]) == "a"
