"""The migrations and the models describe the same schema (a model change needs a migration)."""

import asyncio

from alembic import command

from db.migrate import alembic_config


async def test_models_match_the_migrations(database_url):
    await asyncio.to_thread(command.check, alembic_config(database_url))
