"""With the stored files on S3-compatible object storage (django-storages, here a local moto
server): a case photo is uploaded to the bucket, served back only through the access-checked
view, and backup / restore carry the bucket's files like a local MEDIA_ROOT."""

from __future__ import annotations

import hashlib
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client, override_settings

from civicgrid.cases.models import CasePhoto
from civicgrid.cases.photos import case_photo_add
from civicgrid.core.backup import _media_names
from civicgrid.core.tests.test_backup_round_trip import KEY, target  # noqa: F401  (fixture)
from civicgrid.testing.case_pages import png_upload
from civicgrid.testing.cases import report_case
from civicgrid.testing.users import RoleUsers

moto_server = pytest.importorskip("moto.server")
boto3 = pytest.importorskip("boto3")
pytest.importorskip("storages.backends.s3")


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def s3_storages(endpoint: str, bucket: str) -> dict[str, Any]:
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    ).create_bucket(Bucket=bucket)
    options = {
        "bucket_name": bucket,
        "endpoint_url": endpoint,
        "access_key": "testing",
        "secret_key": "testing",
        "region_name": "us-east-1",
        # Never replace an object silently: a second upload with the same name gets a new name.
        "file_overwrite": False,
        "default_acl": "private",
    }
    return {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
    }


def objects(storage: Any) -> dict[str, str]:
    out = {}
    for name in _media_names(storage):
        with storage.open(name, "rb") as handle:
            out[name] = hashlib.sha256(handle.read()).hexdigest()
    return out


@pytest.mark.django_db(databases=["default"])
def test_case_photo_on_s3_is_served_by_the_view_and_backed_up(
    users: RoleUsers,
    s3_endpoint: str,
    target: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    with override_settings(STORAGES=s3_storages(s3_endpoint, "source"), BACKUP_KEY=KEY):
        case = report_case(users.worker)
        upload = png_upload()
        photo = case_photo_add(case=case, image=upload, uploaded_by=users.worker)
        assert default_storage.__class__.__name__ == "S3Storage"
        assert photo.image.name in objects(default_storage)

        client = Client()
        client.force_login(users.command)
        response = client.get(f"/cases/{case.pk}/photos/{photo.pk}/full/")
        assert response.status_code == 200
        upload.seek(0)
        assert b"".join(response.streaming_content) == upload.read()  # type: ignore[attr-defined]
        client.force_login(users.outsider)
        assert client.get(f"/cases/{case.pk}/photos/{photo.pk}/full/").status_code == 404

        source = objects(default_storage)
        archive = tmp_path / "s3.cgbak"
        call_command("backup", output=archive)

    with override_settings(STORAGES=s3_storages(s3_endpoint, "restored"), BACKUP_KEY=KEY):
        call_command("restore", str(archive), "--yes", database=target, verbosity=0)
        assert objects(default_storage) == source
        restored = CasePhoto.objects.using(target).get(pk=photo.pk)
        assert restored.image.name == photo.image.name
