"""The command line stops quietly when the reader of its output goes away (`… | head`)."""

import os
import subprocess
import sys


def test_a_closed_pipe_ends_the_command_quietly(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/cli.db"}
    command = [sys.executable, "-m", "cli"]
    subprocess.run([*command, "db", "upgrade"], env=env, check=True, capture_output=True)
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first line is written
    try:
        done = subprocess.run(
            [*command, "indicators", "list"], env=env, stdout=write, stderr=subprocess.PIPE
        )
    finally:
        os.close(write)
    assert done.stderr == b""
    assert done.returncode == 1
