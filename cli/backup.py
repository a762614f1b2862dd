"""`tocongnghe backup`: a copy of the database taken while the service runs (docs/operations.md
has the restore drill).

SQLite: sqlite3's online backup API, a consistent copy even while the service writes.
PostgreSQL: `pg_dump --format=custom`, one consistent snapshot, restored with `pg_restore`.
"""

import os
import sqlite3
import subprocess
from contextlib import closing
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from bot import texts
from cli.commands import CliError
from config import get_settings


def cmd_backup(args) -> None:
    settings = get_settings()
    url = make_url(settings.effective_database_url)
    sqlite = url.get_backend_name() == "sqlite"
    target = args.file or default_name(sqlite=sqlite, now=datetime.now(settings.zone))
    if target.exists():
        raise CliError(texts.BACKUP_EXISTS.format(path=target))
    target.parent.mkdir(parents=True, exist_ok=True)
    if sqlite:
        backup_sqlite(Path(url.database), target)
    else:
        backup_postgres(url, target)
    print(texts.BACKUP_WRITTEN.format(path=target, size=target.stat().st_size))


def default_name(*, sqlite: bool, now: datetime) -> Path:
    return Path("backups") / f"tocongnghe-{now:%Y%m%d-%H%M%S}.{'db' if sqlite else 'dump'}"


def backup_sqlite(source: Path, target: Path) -> None:
    """Page by page through the backup API: writers are not stopped, the copy is consistent."""
    with (
        closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as reader,
        closing(sqlite3.connect(target)) as writer,
    ):
        reader.backup(writer)


def backup_postgres(url, target: Path) -> None:
    """pg_dump of the whole database; the password goes by environment, not on the command line."""
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = url.password
    plain = url.set(drivername="postgresql", password=None)
    command = ["pg_dump", "--format=custom", "--no-owner", f"--file={target}"]
    command.append(f"--dbname={plain.render_as_string(hide_password=False)}")
    try:
        subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    except FileNotFoundError as error:
        raise CliError(texts.BACKUP_FAILED.format(error=error)) from error
    except subprocess.CalledProcessError as error:
        target.unlink(missing_ok=True)
        raise CliError(texts.BACKUP_FAILED.format(error=error.stderr.strip())) from error
