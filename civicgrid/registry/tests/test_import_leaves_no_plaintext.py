"""An import leaves no personal data in clear behind it (rule 3): the uploaded file is
deleted once the job ends, whether it succeeded or failed, and rejected ID numbers and phones
are masked in the job row and in the downloadable error list."""

import io
import os
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict

from civicgrid.registry.choices import ImportStatus
from civicgrid.registry.io import jobs
from civicgrid.registry.models import ImportJob, Person
from civicgrid.registry.tests.factories import resident_id
from civicgrid.testing.city import TestCity
from civicgrid.testing.ledger_files import csv_file
from civicgrid.testing.users import RoleUsers


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def stored_bytes() -> list[tuple[str, bytes]]:
    """Every file under MEDIA_ROOT, xlsx members unzipped so their text can be searched."""
    found = []
    for folder, _dirs, files in os.walk(settings.MEDIA_ROOT):
        for name in files:
            path = os.path.join(folder, name)
            found.append((path, Path(path).read_bytes()))
    return found


def readable(content: bytes) -> str:
    if content[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    return content.decode("utf-8", "replace")


@pytest.mark.django_db
def test_no_plaintext_id_number_or_phone_survives_an_import(
    client: Any,
    tmp_path: Path,
    city: TestCity,
    users: RoleUsers,
    django_capture_on_commit_callbacks: Any,
) -> None:
    west = city.grids["a1_west"].code
    valid = resident_id()
    bad_checksum = valid[:-1] + ("0" if valid[-1] != "0" else "1")
    too_short = resident_id()[:17]
    good_phone, bad_phone = "13812345678", "1391234567"
    rows = [
        ["张三", valid, good_phone, west],
        ["李四", bad_checksum, "", west],
        ["王五", too_short, "", west],
        ["赵六", resident_id(), bad_phone, west],
    ]
    upload = csv_file(tmp_path / "people.csv", ["姓名", "身份证号", "联系电话", "网格编码"], rows)
    secrets = [valid, bad_checksum, too_short, good_phone, bad_phone]

    client.force_login(users.worker)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/registry/io/import/person/",
            {"file": SimpleUploadedFile("人口.csv", upload.read_bytes()), "scope_code": west},
        )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert (job.status, job.created_count, job.error_count) == (ImportStatus.DONE, 1, 3)
    assert Person.objects.get(name="张三").id_number == valid  # stored (encrypted), not lost

    assert job.file.name == ""
    assert stored_bytes() == []  # the upload is gone; nothing else was written
    job_text = str(model_to_dict(job))
    report = client.get(f"/registry/io/jobs/{job.pk}/errors.xlsx")
    page = client.get(f"/registry/io/jobs/{job.pk}/progress/").content.decode()
    for secret in secrets:
        assert secret not in job_text
        assert secret not in readable(report.content)
        assert secret not in page
    assert {e["value"] for e in job.errors} == {
        bad_checksum[:4] + "*" * 10 + bad_checksum[-4:],
        too_short[:4] + "*" * 9 + too_short[-4:],
        "******4567",
    }


@pytest.mark.django_db
def test_the_upload_is_deleted_when_the_job_fails(
    city: TestCity, users: RoleUsers, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = ImportJob.objects.create(
        kind="person",
        file=ContentFile(b"\xe5\xa7\x93\xe5\x90\x8d\n", name="people.csv"),
        scope_code=city.grids["a1_west"].code,
        created_by=users.worker,
    )
    assert len(stored_bytes()) == 1

    def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(jobs, "import_ledger", crash)
    with pytest.raises(RuntimeError):
        jobs.run_import_job.call(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert job.file.name == ""
    assert stored_bytes() == []
