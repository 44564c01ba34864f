"""Import direction (docs/architecture.md "Layout"): core imports no app above it, and accounts
never imports geo — geo depends on accounts and hands it what it needs through
``accounts.hooks``. Checked on the source so a function-level import counts too."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(package: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        if "tests" in path.relative_to(ROOT / package).parts:
            continue
        found[str(path.relative_to(ROOT))] = _imports(ast.parse(path.read_text(encoding="utf-8")))
    return found


def _imports(tree: ast.AST) -> set[str]:
    """Every module imported anywhere in ``tree`` except under ``if TYPE_CHECKING:``, which
    names types for the checker and never runs."""
    names: set[str] = set()
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                names |= _imports(child)
            continue
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        names |= _imports(node)
    return names


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [("core", "civicgrid.accounts"), ("accounts", "civicgrid.geo")],
)
def test_no_upward_import(package: str, forbidden: str) -> None:
    offenders = {
        path: sorted(m for m in modules if m == forbidden or m.startswith(forbidden + "."))
        for path, modules in imported_modules(package).items()
    }
    assert {p: m for p, m in offenders.items() if m} == {}
