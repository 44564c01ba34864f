"""An archive made on PostgreSQL restores into SQLite with the same values in every table (the
format is database-neutral; the other direction reads and writes through the same fields)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connections, models
from django.db.models.functions import Cast
from django.test import override_settings

from civicgrid.core.backup import backed_up_models
from civicgrid.core.pii import EncryptedTextField
from civicgrid.core.tests.test_backup_round_trip import (  # noqa: F401  (fixtures)
    ToTarget,
    build_installation,
    file_digests,
    media,
)
from civicgrid.testing.users import RoleUsers

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        connections["default"].vendor != "postgresql", reason="source must be PostgreSQL"
    ),
]


@pytest.fixture
def sqlite_target(db: Any, tmp_path: Path) -> Iterator[str]:
    alias = "restore_target"
    sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "r.sqlite3")}
    both = {"default": connections.settings["default"], alias: sqlite}
    connections.settings[alias] = connections.configure_settings(both)[alias]
    connections[alias].connect()  # see test_backup_round_trip.target
    yield alias
    connections[alias].close()
    del connections[alias]
    del connections.settings[alias]


def values(alias: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table as Python values; encrypted columns as stored ciphertext."""
    out = {}
    for model in backed_up_models():
        fields = model._meta.local_concrete_fields
        raw = {
            f"raw_{f.attname}": Cast(f.attname, models.TextField())
            for f in fields
            if isinstance(f, EncryptedTextField)
        }
        names = [f"raw_{f.attname}" if f"raw_{f.attname}" in raw else f.attname for f in fields]
        rows = model._base_manager.using(alias).annotate(**raw).order_by("pk")
        out[model._meta.label_lower] = list(rows.values_list(*names))
    return out


@pytest.mark.django_db(databases=["default"])
def test_postgresql_archive_restores_into_sqlite(
    users: RoleUsers,
    media: Path,  # noqa: F811
    sqlite_target: str,
    tmp_path: Path,
) -> None:
    build_installation(users)
    archive = tmp_path / "pg.cgbak"
    call_command("backup", output=archive)
    with override_settings(MEDIA_ROOT=tmp_path / "media-restored"):
        call_command("restore", str(archive), "--yes", database=sqlite_target, verbosity=0)
    assert values(sqlite_target) == values("default")
    assert file_digests(tmp_path / "media-restored") == file_digests(media)
    with override_settings(DATABASE_ROUTERS=[ToTarget()]):
        call_command("verify_audit")
