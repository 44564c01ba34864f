"""An archive from an older version (fewer migrations applied) restores into the running
version: the rows go into the schema of the archive's migration state, then `migrate` carries
them forward."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings

from civicgrid.accounts.models import User
from civicgrid.core.backup import (
    DecryptingReader,
    EncryptingWriter,
    EntryInfo,
    EntryWriter,
    _entries,
)
from civicgrid.core.tests.test_backup_round_trip import (  # noqa: F401  (fixtures)
    KEY,
    ToTarget,
    build_installation,
    media,
    target,
)
from civicgrid.testing.users import RoleUsers

# A migration that adds a column; the archive is rewritten as if made before it existed.
UNAPPLIED = ("accounts", "0003_user_password_changed_at")


def as_if_older(new: Path, old: Path) -> set[tuple[str, str]]:
    """Rewrite ``new`` as the version before UNAPPLIED would have written it: without that
    migration and those after it, their tables and their columns."""
    loader = MigrationLoader(connections["default"])
    dropped = set(loader.graph.backwards_plan(UNAPPLIED))
    with new.open("rb") as handle:
        entries = [(head, b"".join(body)) for head, body in _entries(DecryptingReader(handle, KEY))]
    manifest = json.loads(entries.pop()[1])
    state = {
        app: [n for n in names if (app, n) not in dropped]
        for app, names in manifest["migrations"].items()
    }
    state = {app: names for app, names in state.items() if names}
    leaves = [
        (app, n)
        for app, names in state.items()
        for n in names
        if not {c.key for c in loader.graph.node_map[(app, n)].children} & {(app, m) for m in names}
    ]
    old_apps = loader.project_state(leaves, at_end=True).apps
    old_models = {m._meta.label_lower: m for m in old_apps.get_models(include_auto_created=True)}
    with old.open("wb") as handle:
        writer = EncryptingWriter(handle, KEY)
        infos = []
        for head, body in entries:
            if head["kind"] == "table":
                model = old_models.get(head["name"])
                if model is None:
                    continue
                lines = body.splitlines()
                names = json.loads(lines[0])["fields"]
                keep = [i for i, n in enumerate(names)
                        if n in {f.attname for f in model._meta.local_concrete_fields}]  # fmt: skip
                rows = [json.dumps([json.loads(line)[i] for i in keep]) for line in lines[1:]]
                columns = json.dumps({"model": head["name"], "fields": [names[i] for i in keep]})
                body = "\n".join([columns, *rows, ""]).encode()
            entry = EntryWriter(writer, EntryInfo(head["kind"], head["name"]))
            entry.write(body)
            infos.append(entry.close().as_json())
        final = EntryWriter(writer, EntryInfo("manifest", "manifest.json"))
        final.write(json.dumps({**manifest, "migrations": state, "entries": infos}).encode())
        final.close()
        writer.close()
    return dropped


@pytest.mark.django_db(databases=["default"])
def test_older_archive_is_restored_and_migrated_forward(
    users: RoleUsers,
    media: Path,  # noqa: F811
    target: str,  # noqa: F811
    tmp_path: Path,
    capsys: Any,
) -> None:
    build_installation(users)
    new, old = tmp_path / "new.cgbak", tmp_path / "old.cgbak"
    call_command("backup", output=new)
    dropped = as_if_older(new, old)
    assert len(dropped) > 1  # later migrations depending on it go too

    with override_settings(MEDIA_ROOT=tmp_path / "media-restored"):
        call_command("restore", str(old), "--yes", database=target)
    assert "已迁移到本版本的结构" in capsys.readouterr().out

    assert dropped <= set(MigrationRecorder(connections[target]).applied_migrations())
    restored = User.objects.using(target)
    assert sorted(restored.values_list("username", flat=True)) == sorted(
        User.objects.values_list("username", flat=True)
    )
    assert not restored.exclude(password_changed_at=None).exists()
    with override_settings(DATABASE_ROUTERS=[ToTarget()]):
        call_command("verify_audit")
