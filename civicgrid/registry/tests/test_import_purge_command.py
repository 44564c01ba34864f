"""Jobs that ran before uploads were deleted and errors masked are cleaned by one command:
their files go, their rejected ID numbers and phones are masked, running jobs are untouched."""

import io
import os
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from civicgrid.registry.choices import ImportStatus
from civicgrid.registry.models import ImportJob
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def stored() -> list[str]:
    return sorted(
        os.path.relpath(os.path.join(folder, name), settings.MEDIA_ROOT)
        for folder, _dirs, files in os.walk(settings.MEDIA_ROOT)
        for name in files
    )


@pytest.mark.django_db
def test_purge_deletes_ended_uploads_and_masks_old_errors(city: TestCity, users: RoleUsers) -> None:
    def job(status: str, errors: list[dict[str, Any]] | None = None) -> ImportJob:
        return ImportJob.objects.create(
            kind="person",
            file=ContentFile(b"x", name=f"{status}.csv"),
            scope_code=city.grids["a1_west"].code,
            created_by=users.worker,
            status=status,
            errors=errors or [],
        )

    old_errors = [
        {
            "row": 2,
            "column": "证件号码",
            "value": "52010219800101123",
            "reason": "身份证号码应为18位",
        },
        {
            "row": 3,
            "column": "联系电话",
            "value": "1391234567",
            "reason": "手机号码应为以1开头的11位数字",
        },
        {"row": 4, "column": "姓名", "value": "", "reason": "必填项不能为空"},
    ]
    done = job(ImportStatus.DONE, old_errors)
    failed = job(ImportStatus.FAILED)
    running = job(ImportStatus.RUNNING)
    default_storage.save("imports/2020/01/forgotten.csv", ContentFile(b"y"))
    assert len(stored()) == 4

    out = io.StringIO()
    call_command("purge_import_uploads", stdout=out)

    assert stored() == [running.file.name]
    for ended in (done, failed):
        ended.refresh_from_db()
        assert ended.file.name == ""
    done.refresh_from_db()
    assert [e["value"] for e in done.errors] == ["5201*********1123", "******4567", ""]
    assert "已删除上传文件 3 个(其中无任务引用的 1 个),已脱敏错误明细 1 个任务" in out.getvalue()

    call_command("purge_import_uploads", stdout=out)  # nothing left to do
    assert "已删除上传文件 0 个(其中无任务引用的 0 个),已脱敏错误明细 0 个任务" in out.getvalue()
