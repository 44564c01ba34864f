"""English is offered beside Chinese (docs/architecture.md "Language"): every string marked for
translation must have an English entry in the catalogue, or an English reader meets Chinese
in the middle of a page. The catalogue is extracted afresh from the sources into a copy, so
the checkout's own file is never touched."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

ROOT = Path(settings.BASE_DIR)
CATALOGUE = Path("locale/en/LC_MESSAGES/django.po")


def _entries(po: Path, *flags: str) -> list[str]:
    out = subprocess.run(
        ["msgattrib", *flags, "--no-wrap", str(po)], check=True, capture_output=True, text=True
    ).stdout
    ids = [line[len('msgid "') : -1] for line in out.splitlines() if line.startswith('msgid "')]
    return [i for i in ids if i]  # the header's msgid is empty


@pytest.mark.skipif(shutil.which("msgattrib") is None, reason="gettext is not installed")
def test_every_translatable_string_has_an_english_entry(tmp_path, monkeypatch):
    for source in ("civicgrid", "config", "templates"):
        (tmp_path / source).symlink_to(ROOT / source)
    copy = tmp_path / CATALOGUE
    copy.parent.mkdir(parents=True)
    shutil.copy(ROOT / CATALOGUE, copy)
    monkeypatch.chdir(tmp_path)
    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        call_command("makemessages", locale=["en"], symlinks=True, verbosity=0)

    untranslated = _entries(copy, "--untranslated")
    assert untranslated == [], "\n".join(untranslated)
    # A new string close to an old one is merged as a guess; gettext ignores guesses.
    assert _entries(copy, "--only-fuzzy") == []
