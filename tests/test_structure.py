"""Small modules (#20 item 7): every product module stays under LIMIT lines, so it can be read
whole and has one reason to change. Alembic's migrations are a record, not a module to read."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("bot", "db", "scheduler", "webhook", "cli", "config")
EXEMPT = (Path("db/migrations"),)
LIMIT = 400


def long_modules(root: Path, limit: int = LIMIT) -> list[str]:
    """ "path: N lines" for each product module under `root` of `limit` lines or more."""
    found = []
    for package in PRODUCT:
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root)
            if any(relative.is_relative_to(exempt) for exempt in EXEMPT):
                continue
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines >= limit:
                found.append(f"{relative.as_posix()}: {lines} lines")
    return found


def test_product_modules_stay_under_the_limit():
    offenders = long_modules(ROOT)
    assert not offenders, (
        f"modules of {LIMIT} lines or more; split each by its reasons to change:\n"
        + "\n".join(offenders)
    )


def test_a_long_module_is_named_and_migrations_are_not(tmp_path):
    (tmp_path / "bot").mkdir()
    (tmp_path / "bot" / "short.py").write_text("x = 1\n" * (LIMIT - 1))
    (tmp_path / "bot" / "long.py").write_text("x = 1\n" * LIMIT)
    versions = tmp_path / "db" / "migrations" / "versions"
    versions.mkdir(parents=True)
    (versions / "0001_initial.py").write_text("x = 1\n" * 2 * LIMIT)
    assert long_modules(tmp_path) == [f"bot/long.py: {LIMIT} lines"]
