"""The runtime install, as the Dockerfile does it where CI has no Docker: `pip install .` with no
extras into a fresh virtual environment, then `tocongnghe serve` migrates PostgreSQL and answers
/healthz. It downloads packages and takes a minute or two, so it runs once in CI: on the
PostgreSQL pass, not the SQLite one.
"""

import subprocess
import sys

import pytest

from tests.cli.serving import ROOT, Served, service_env
from tests.helpers import ON_POSTGRES

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="runs once in CI: on the PostgreSQL pass")
DEV_ONLY = {"pytest", "ruff", "playwright", "import-linter", "time-machine"}


def test_the_runtime_install_serves_on_postgresql(db, database_url, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip"]
    install = subprocess.run(
        [*pip, "install", "--quiet", "--disable-pip-version-check", str(ROOT)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert install.returncode == 0, install.stderr
    listed = subprocess.run([*pip, "list", "--format=freeze"], capture_output=True, text=True)
    installed = {line.split("==")[0].lower() for line in listed.stdout.splitlines()}
    assert "tocongnghe" in installed and not installed & DEV_ONLY

    env = service_env(database_url, telegram_bot_token="123456:TEST", public_base_url="")
    env.update(TELEGRAM_WEBHOOK_SECRET="w" * 16, TELEGRAM_API_URL="http://127.0.0.1:9")
    env.pop("PYTHONPATH")  # the installed package, not this checkout
    service = Served(
        env, tmp_path / "serve.log", command=[str(venv / "bin" / "tocongnghe")], migrate=True
    )
    try:
        service.wait_healthy(timeout=120)
    finally:
        service.stop()
    assert "Database ready at postgresql" in service.log()
