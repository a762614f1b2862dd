"""`tocongnghe words`: the operator lists the words the bot missed and adds one as an alias."""

import os
import sqlite3
import subprocess
import sys


def cli(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args], env=env, capture_output=True, text=True
    )


def test_unknown_words_are_listed_and_one_becomes_an_alias(tmp_path):
    path = tmp_path / "cli.db"
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{path}"}
    assert cli(env, "db", "upgrade").returncode == 0
    assert cli(env, "words", "unknown").stdout.strip() == "Chưa có từ nào bot chưa hiểu."
    with sqlite3.connect(path) as db:
        db.executemany(
            "INSERT INTO unknown_word (word, seen, last_seen) VALUES (?, ?, ?)",
            [("ekyc", 7, "2026-12-01 03:00:00.000000"), ("cccd", 2, "2026-12-02 03:00:00.000000")],
        )
    listed = cli(env, "words", "unknown").stdout.splitlines()
    assert [line.split("\t")[:2] for line in listed] == [["ekyc", "7"], ["cccd", "2"]]
    assert listed[0].endswith("2026-12-01 10:00")  # Vietnamese time
    added = cli(env, "words", "alias", "vneid", "ekyc")
    assert added.stdout.strip() == "Đã thêm «ekyc» cho chỉ tiêu vneid."
    lines = cli(env, "indicators", "list").stdout.splitlines()
    vneid = next(line for line in lines if line.startswith("vneid"))
    assert "|ekyc" in vneid
    assert [line.split("\t")[0] for line in cli(env, "words", "unknown").stdout.splitlines()] == [
        "cccd"
    ]
    refused = cli(env, "words", "alias", "khong_co", "abc")
    assert refused.returncode != 0 and "không có chỉ tiêu mã «khong_co»" in refused.stderr
