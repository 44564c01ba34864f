"""A backup restored into a fresh database gives back every table row for row and every stored
file byte for byte, personal data still encrypted, and an audit chain that verifies."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connections, transaction
from django.test import override_settings

from civicgrid.cases.photos import case_photo_add
from civicgrid.core.audit import audit_record
from civicgrid.core.backup import SKIPPED, DecryptingReader, backed_up_models
from civicgrid.testing.case_pages import png_upload
from civicgrid.testing.cases import report_case
from civicgrid.testing.users import RoleUsers

KEY = "backup-key-for-tests-0123456789abcdef"
PHONE = "13912345678"


class ToTarget:
    """Sends every query to the restored database (to run verify_audit against it)."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        return "restore_target"

    db_for_write = db_for_read

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the same rows, restored: a user from the source names one in the target


@pytest.fixture
def target(db: Any, tmp_path: Path) -> Iterator[str]:
    """A second, empty database on the same server: a new SQLite file, or on PostgreSQL a new
    database beside the test database."""
    source = connections["default"]
    settings_dict = dict(source.settings_dict)
    if source.vendor == "postgresql":
        name = f"civicgrid_restore_{os.getpid()}"
        with source._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        settings_dict["NAME"] = name
    else:
        settings_dict["NAME"] = str(tmp_path / "restored.sqlite3")
    connections.settings["restore_target"] = settings_dict
    # Connect here: the test case lets queries through on a connection already open, and
    # this alias is not in its databases (the test run creates no test copy of it).
    connections["restore_target"].connect()
    yield "restore_target"
    connections["restore_target"].close()
    del connections["restore_target"]
    del connections.settings["restore_target"]
    if source.vendor == "postgresql":
        with source._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{settings_dict["NAME"]}"')


@pytest.fixture
def media(tmp_path: Path) -> Iterator[Path]:
    """The source installation's MEDIA_ROOT (never the shared test media directory)."""
    root = tmp_path / "media-source"
    with override_settings(MEDIA_ROOT=root, BACKUP_KEY=KEY):
        yield root


def build_installation(users: RoleUsers) -> None:
    case = report_case(users.worker, reporter_name="张三", reporter_phone=PHONE)
    case_photo_add(case=case, image=png_upload(), uploaded_by=users.worker)
    audit_record(actor=users.cadre, action="unmask", target=users.resident, reason="核对住址")


def table_digests(alias: str) -> dict[str, tuple[int, str]]:
    """Row count and a hash of every row, per table, as the database stores them."""
    connection = connections[alias]
    out = {}
    with connection.cursor() as cursor:
        for model in backed_up_models():
            if model._meta.label_lower in SKIPPED:
                continue
            table = connection.ops.quote_name(model._meta.db_table)
            columns = ", ".join(
                connection.ops.quote_name(f.column) for f in model._meta.local_concrete_fields
            )
            cursor.execute(f"SELECT {columns} FROM {table} ORDER BY 1")
            rows = cursor.fetchall()
            digest = hashlib.sha256(repr(rows).encode()).hexdigest()
            out[model._meta.label_lower] = (len(rows), digest)
    return out


def file_digests(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def plaintext(path: Path) -> bytes:
    with path.open("rb") as handle:
        reader = DecryptingReader(handle, KEY)
        return b"".join(iter(lambda: reader.read(1 << 20), b""))


@pytest.mark.django_db(databases=["default"])
def test_round_trip_restores_every_table_and_file(
    users: RoleUsers, media: Path, target: str, tmp_path: Path
) -> None:
    build_installation(users)
    archive = tmp_path / "civicgrid.cgbak"
    call_command("backup", output=archive)
    assert archive.stat().st_mode & 0o777 == 0o600
    source_tables, source_files = table_digests("default"), file_digests(media)
    assert any(name.startswith("cases/") for name in source_files)

    # Encrypted fields travel as their ciphertext, and the manifest lists what is inside.
    inside = plaintext(archive)
    assert PHONE.encode() not in inside
    manifest = json.loads(inside[inside.rindex(b'{\n "format"') :].split(b"\x00\x00\x00\x00")[0])
    assert manifest["database_vendor"] == connections["default"].vendor
    assert "core" in manifest["migrations"]
    photo = next(e for e in manifest["entries"] if e["name"].startswith("cases/"))
    assert photo["sha256"] == source_files[photo["name"]]

    restored_media = tmp_path / "media-restored"
    with override_settings(MEDIA_ROOT=restored_media):
        call_command("restore", str(archive), "--yes", database=target, verbosity=0)

    assert table_digests(target) == source_tables
    assert source_tables["cases.casephoto"][0] == 1
    assert source_tables["core.auditentry"][0] >= 1
    assert file_digests(restored_media) == source_files
    with override_settings(DATABASE_ROUTERS=[ToTarget()]):
        call_command("verify_audit")
        # Sequences follow the restored keys (PostgreSQL): the next entry gets a new id.
        with transaction.atomic(using=target):
            audit_record(actor=users.cadre, action="unmask", target=users.resident, reason="恢复后")
        call_command("verify_audit")
