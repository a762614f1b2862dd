"""`tocongnghe serve` in a process of its own, as an operator starts it: for the tests of the
installed service, of several processes on one database, and of refusing unsafe settings."""

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.helpers import SECRET, free_port

ROOT = Path(__file__).resolve().parents[2]
STRONG = "x" * 40  # a LINK_SECRET long enough for a service with a platform token


def service_env(database_url: str, **settings: str) -> dict[str, str]:
    """The environment of a service process: the test database, no `.env`, these settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "ZALO_"))}
    env.update(DATABASE_URL=database_url, LINK_SECRET=STRONG, PYTHONPATH=str(ROOT))
    env.update({name.upper(): value for name, value in settings.items()})
    return env


class Served:
    """One service process on a free port; its log goes to a file the test reads."""

    def __init__(
        self, env: dict, log: Path, *, command: list[str] | None = None, migrate: bool = False
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log
        command = command or [sys.executable, "-m", "cli"]
        self._log = log.open("w")
        self.process = subprocess.Popen(
            [*command, "serve", "--port", str(self.port), *([] if migrate else ["--no-migrate"])],
            env=env,
            cwd=log.parent,  # no .env there
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the service exited: {self.log()}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"the service did not answer /healthz: {self.log()}")

    def post_telegram(self, update: dict) -> httpx.Response:
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        return httpx.post(f"{self.url}/webhook/telegram", json=update, headers=headers, timeout=30)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


def wait_for(condition, timeout: float = 30, what: str = "condition") -> None:
    """Poll `condition()` (a plain function) until true."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)
