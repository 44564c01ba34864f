"""Data migrations work on the database being migrated (``schema_editor.connection.alias``),
never silently on ``default``: ``manage.py restore`` migrates its target database forward, and
a seed or copy written to the other database would be lost there (docs/architecture.md
"Backups")."""

from __future__ import annotations

import re
from pathlib import Path

import civicgrid

ROOT = Path(civicgrid.__file__).parent
MANAGER_CALL = re.compile(r"\.objects\.(?!using\()")


def test_every_manager_call_in_a_migration_names_the_migrated_database() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted(ROOT.glob("**/migrations/*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if MANAGER_CALL.search(line)
    ]
    assert offenders == []
