"""Every word a user reads lives in bot/texts: no Vietnamese literal anywhere else in product code.

A string constant with a Vietnamese letter fails the test, docstrings excepted (comments are not
constants). The demo's seed data (names of people and places) is exempt by name, not by file.
"""

import ast
import re
from pathlib import Path

from bot import texts

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("bot", "db", "scheduler", "webhook", "cli", "config")
TEXTS = ROOT / "bot" / "texts"
# Module-level names whose values are seed data, not words for users: {file: names}
SEED_DATA = {"bot/demo.py": {"PROVINCE", "COMMUNE", "OFFICIAL", "HAMLETS"}}
VIETNAMESE = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.IGNORECASE
)


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the docstring constants of the module, its classes and functions."""
    kinds = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    return {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, kinds)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }


def _seed_constants(tree: ast.Module, names: set[str]) -> set[int]:
    """The ids of every constant inside the module-level assignments to these names."""
    found = set()
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if any(isinstance(t, ast.Name) and t.id in names for t in targets):
            found |= {id(inner) for inner in ast.walk(node.value)}
    return found


def vietnamese_literals(path: Path) -> list[str]:
    """ "file:line: 'text'" for each Vietnamese string constant outside docstrings and seed data."""
    relative = path.relative_to(ROOT).as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    allowed = _docstrings(tree) | _seed_constants(tree, SEED_DATA.get(relative, set()))
    return [
        f"{relative}:{node.lineno}: {node.value[:60]!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in allowed
        and VIETNAMESE.search(node.value)
    ]


def product_files() -> list[Path]:
    files = (path for package in PRODUCT for path in sorted((ROOT / package).rglob("*.py")))
    return [path for path in files if TEXTS not in path.parents]


def test_no_vietnamese_literal_outside_bot_texts():
    offenders = [line for path in product_files() for line in vietnamese_literals(path)]
    assert not offenders, "Vietnamese text outside bot/texts:\n" + "\n".join(offenders)


def test_the_check_sees_a_literal_and_skips_docstrings_and_seed_data(monkeypatch):
    module = ROOT / "bot" / "demo.py"
    found = vietnamese_literals(module)
    assert found == []  # the seed names are there, and exempt
    monkeypatch.setitem(SEED_DATA, "bot/demo.py", set())
    assert any("Đồng Tháp" in line for line in vietnamese_literals(module))


def test_each_text_is_defined_in_one_module():
    names: dict[str, list[str]] = {}
    for path in sorted(TEXTS.glob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        names.setdefault(target.id, []).append(path.name)
            elif isinstance(node, ast.FunctionDef):
                names.setdefault(node.name, []).append(path.name)
    twice = {name: where for name, where in names.items() if len(where) > 1}
    assert not twice


def test_number_and_label_helpers():
    assert texts.number(1234567) == "1.234.567"
    assert texts.number(12345.0) == "12.345"
    assert texts.number(7) == "7"

    class Indicator:
        code = "vneid"
        aliases = "VNeID|định danh"

    assert texts.short_label(Indicator) == "VNeID"
    Indicator.aliases = ""
    assert texts.short_label(Indicator) == "vneid"
