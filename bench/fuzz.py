"""Fuzzing the webhooks for longer than CI does: the hypothesis test of
tests/webhook/test_invalid_updates.py with many examples, randomised on each run.

    python bench/fuzz.py                 # 2,000 bodies per platform, SQLite
    TEST_DATABASE_URL=postgresql+asyncpg://... python bench/fuzz.py 10000

Passes when no body got a 5xx answer and no refused body changed the database.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    examples = sys.argv[1] if len(sys.argv) > 1 else "2000"
    env = {**os.environ, "TCN_FUZZ_EXAMPLES": examples, "PYTHONPATH": str(ROOT)}
    test = "tests/webhook/test_invalid_updates.py::test_fuzzed_bodies_never_fail_the_server_nor_store_a_refused_one"
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test]
    return subprocess.call(command, cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main())
