"""A restore that cannot be trusted or would overwrite data is refused before it writes
anything: no backup key, a wrong key, a tampered or truncated archive, a backup from a newer
version, a target database that already holds data, a stored file in the way."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from django.test import override_settings

from civicgrid.accounts.models import User
from civicgrid.core import backup
from civicgrid.core.backup import holds_data
from civicgrid.core.tests.test_backup_round_trip import (  # noqa: F401  (fixtures)
    KEY,
    build_installation,
    file_digests,
    media,
    target,
)
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db(databases=["default"])


@pytest.fixture
def archive(users: RoleUsers, media: Path, tmp_path: Path) -> Path:  # noqa: F811
    build_installation(users)
    path = tmp_path / "civicgrid.cgbak"
    call_command("backup", output=path)
    return path


def restore(path: Path, alias: str, tmp_path: Path, **options: Any) -> None:
    with override_settings(MEDIA_ROOT=tmp_path / "media-restored"):
        call_command("restore", str(path), "--yes", database=alias, verbosity=0, **options)


def untouched(alias: str, tmp_path: Path) -> bool:
    return not connections[alias].introspection.table_names() and not file_digests(
        tmp_path / "media-restored"
    )


def test_backup_without_key_is_refused(db: Any, tmp_path: Path) -> None:
    for key in ("", "short"):
        with override_settings(BACKUP_KEY=key), pytest.raises(CommandError, match="BACKUP_KEY"):
            call_command("backup", output=tmp_path / "x.cgbak")
    assert not list(tmp_path.iterdir())


def test_wrong_key_is_refused(archive: Path, target: str, tmp_path: Path) -> None:  # noqa: F811
    with (
        override_settings(BACKUP_KEY="another-key-" + KEY),
        pytest.raises(CommandError, match="BACKUP_KEY 与生成此备份时的密钥不同"),
    ):
        restore(archive, target, tmp_path)
    assert untouched(target, tmp_path)


@pytest.mark.parametrize("damage", ["flip", "truncate", "append"])
def test_tampered_archive_is_refused(
    archive: Path,
    target: str,  # noqa: F811
    tmp_path: Path,
    damage: str,
) -> None:
    data = bytearray(archive.read_bytes())
    if damage == "flip":
        data[len(data) // 2] ^= 0x01
    elif damage == "truncate":
        data = data[: len(data) - 100]
    else:
        data += data[-200:]
    archive.write_bytes(bytes(data))
    with pytest.raises(CommandError, match=r"改动|截断|损坏"):
        restore(archive, target, tmp_path)
    assert untouched(target, tmp_path)


def test_backup_from_a_newer_version_is_refused(
    users: RoleUsers,
    media: Path,  # noqa: F811
    target: str,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = backup.migration_state

    def newer(using: str) -> dict[str, list[str]]:
        state = real(using)
        state["core"].append("9999_from_the_future")
        return state

    monkeypatch.setattr(backup, "migration_state", newer)
    path = tmp_path / "newer.cgbak"
    call_command("backup", output=path)
    with pytest.raises(CommandError, match="更新的程序版本"):
        restore(path, target, tmp_path)
    assert untouched(target, tmp_path)


def test_target_with_data_is_refused(archive: Path, tmp_path: Path) -> None:
    before = list(User.objects.order_by("pk").values_list("pk", "username"))
    with pytest.raises(CommandError, match=r"目标数据库已有数据.*--force"):
        restore(archive, "default", tmp_path)
    assert list(User.objects.order_by("pk").values_list("pk", "username")) == before


def test_freshly_migrated_database_counts_as_empty(db: Any) -> None:
    # The rows the migrations write themselves are not "data": a new seed in a migration
    # belongs in backup.MIGRATION_SEEDED, or every restore into a new database is refused.
    assert holds_data("default") == []


def test_stored_file_in_the_way_is_refused(
    archive: Path,
    target: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    source = file_digests(tmp_path / "media-source")
    name = next(iter(source))
    clash = tmp_path / "media-restored" / name
    clash.parent.mkdir(parents=True)
    clash.write_bytes(b"someone else's photo")
    with pytest.raises(CommandError, match="同名文件"):
        restore(archive, target, tmp_path)
    assert clash.read_bytes() == b"someone else's photo"
    assert not connections[target].introspection.table_names()


def test_the_same_files_already_stored_are_no_clash(
    archive: Path,
    target: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    """Restoring beside the installation it came from (a new database, the same media): the
    files there are the archive's own, so nothing is in the way and nothing is rewritten."""
    source = file_digests(tmp_path / "media-source")
    for name in source:
        copy = tmp_path / "media-restored" / name
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes((tmp_path / "media-source" / name).read_bytes())
    restore(archive, target, tmp_path)
    assert file_digests(tmp_path / "media-restored") == source
    assert connections[target].introspection.table_names()


def test_backup_of_an_unmigrated_database_is_refused(
    db: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("x", False)])
    with (
        override_settings(BACKUP_KEY=KEY, MEDIA_ROOT=tmp_path / "media"),
        pytest.raises(CommandError, match=r"manage\.py migrate"),
    ):
        call_command("backup", output=tmp_path / "x.cgbak")
    assert not (tmp_path / "x.cgbak").exists()
