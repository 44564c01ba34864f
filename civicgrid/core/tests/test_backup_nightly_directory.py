"""Without --output the backup goes to BACKUP_DIR under a dated name, and --keep leaves only
the newest archives there (the nightly PERIODIC_JOBS line)."""

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from civicgrid.core.tests.test_backup_round_trip import KEY


def test_backup_dir_and_keep(db: Any, tmp_path: Path) -> None:
    directory = tmp_path / "nightly"
    directory.mkdir()
    for day in ("20261101", "20261102", "20261103"):
        (directory / f"civicgrid-{day}-023000.cgbak").write_bytes(b"old")
    (directory / "notes.txt").write_text("not an archive")
    with override_settings(
        BACKUP_KEY=KEY, BACKUP_DIR=str(directory), MEDIA_ROOT=tmp_path / "media"
    ):
        call_command("backup", "--keep", "2")
    names = sorted(p.name for p in directory.iterdir())
    kept_old, written, notes = names
    assert kept_old == "civicgrid-20261103-023000.cgbak"
    assert written.startswith("civicgrid-") and written.endswith(".cgbak") and written > kept_old
    assert notes == "notes.txt"


def test_backup_needs_a_destination(db: Any) -> None:
    with (
        override_settings(BACKUP_KEY=KEY, BACKUP_DIR=""),
        pytest.raises(CommandError, match="--output"),
    ):
        call_command("backup")
