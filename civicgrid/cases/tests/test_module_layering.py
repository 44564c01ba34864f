"""The case modules depend one way (docs/architecture.md "Cases"): models use querysets but
querysets name no model; services call the workflow but the workflow never reaches back into
services (photo helpers live in ``photos``). Every module also imports on its own."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import civicgrid.cases

CASES = Path(civicgrid.cases.__file__).parent
MODULES = sorted(p.stem for p in CASES.glob("*.py") if p.stem != "__init__")


def imported_modules(module: str) -> set[str]:
    """Every module ``module`` imports, at module level, in functions or for type checking."""
    tree = ast.parse((CASES / f"{module}.py").read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


@pytest.mark.parametrize(
    ("module", "forbidden"),
    [
        ("querysets", "civicgrid.cases.models"),
        ("workflow", "civicgrid.cases.services"),
        ("photos", "civicgrid.cases.services"),
        ("photos", "civicgrid.cases.workflow"),
        ("presenters", "civicgrid.cases.workflow"),
        ("notify", "civicgrid.cases.workflow"),
    ],
)
def test_no_import_back(module: str, forbidden: str) -> None:
    assert forbidden not in imported_modules(module)


def test_every_module_imports_on_its_own() -> None:
    code = (
        "import django, importlib, os, sys\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings_test')\n"
        "django.setup()\n"
        "for name in sys.argv[1:]:\n"
        "    importlib.import_module('civicgrid.cases.' + name)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, *MODULES],
        capture_output=True,
        text=True,
        cwd=CASES.parent.parent,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
