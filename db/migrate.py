"""Run Alembic migrations from code (`tocongnghe db upgrade`), with no alembic.ini to find."""

from pathlib import Path

from alembic import command
from alembic.config import Config

from bot.config import get_settings
from db.session import ensure_sqlite_dir

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url or get_settings().effective_database_url)
    return config


def upgrade(url: str | None = None, revision: str = "head") -> None:
    url = url or get_settings().effective_database_url
    ensure_sqlite_dir(url)
    command.upgrade(alembic_config(url), revision)
