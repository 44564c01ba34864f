import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from civicgrid.registry.choices import ImportStatus
from civicgrid.registry.models import ImportJob, Person
from civicgrid.registry.tests.factories import resident_id
from civicgrid.testing.city import TestCity
from civicgrid.testing.ledger_files import csv_file
from civicgrid.testing.users import RoleUsers


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def people_csv(tmp_path: Path, city: TestCity) -> SimpleUploadedFile:
    west = city.grids["a1_west"].code
    rows = [["张三", resident_id(), west], ["李四", "52010219800101123", west]]
    path = csv_file(tmp_path / "people.csv", ["姓名", "身份证号", "网格编码"], rows)
    return SimpleUploadedFile("人口.csv", path.read_bytes(), content_type="text/csv")


def upload(client: Any, tmp_path: Path, city: TestCity, capture: Any) -> ImportJob:
    with capture(execute=True):
        response = client.post(
            "/registry/io/import/person/",
            {"file": people_csv(tmp_path, city), "scope_code": city.grids["a1_west"].code},
        )
    assert response.status_code == 302, response.content.decode()
    return ImportJob.objects.get()


@pytest.mark.django_db
def test_upload_runs_the_job_and_keeps_the_good_row(
    client: Any,
    tmp_path: Path,
    city: TestCity,
    users: RoleUsers,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(users.worker)
    job = upload(client, tmp_path, city, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert (job.status, job.total_rows, job.processed_rows) == (ImportStatus.DONE, 2, 2)
    assert (job.created_count, job.error_count) == (1, 1)
    assert list(Person.objects.values_list("name", flat=True)) == ["张三"]

    page = client.get(f"/registry/io/jobs/{job.pk}/progress/").content.decode()
    assert "hx-trigger" not in page  # polling stops once the job is done
    assert "身份证号码应为18位" in page


@pytest.mark.django_db
def test_error_report_downloads_as_xlsx(
    client: Any,
    tmp_path: Path,
    city: TestCity,
    users: RoleUsers,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(users.worker)
    job = upload(client, tmp_path, city, django_capture_on_commit_callbacks)
    response = client.get(f"/registry/io/jobs/{job.pk}/errors.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [
        ["行号", "列", "值", "原因"],
        # The refused number is masked like everywhere else (rule 3).
        [3, "证件号码", "5201*********1123", "身份证号码应为18位"],
    ]


@pytest.mark.django_db
def test_a_running_job_keeps_polling(client: Any, city: TestCity, users: RoleUsers) -> None:
    job = ImportJob.objects.create(
        kind="person",
        file="imports/x.csv",
        scope_code="520102001001001",
        created_by=users.worker,
        status=ImportStatus.RUNNING,
        total_rows=4000,
        processed_rows=2000,
    )
    client.force_login(users.worker)
    page = client.get(f"/registry/io/jobs/{job.pk}/progress/").content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert 'value="50"' in page


@pytest.mark.django_db
def test_outsider_gets_404_on_another_users_job(
    client: Any, city: TestCity, users: RoleUsers
) -> None:
    job = ImportJob.objects.create(
        kind="person",
        file="imports/x.csv",
        scope_code=city.grids["a1_west"].code,
        created_by=users.worker,
        errors=[{"row": 2, "column": "姓名", "value": "", "reason": "x"}],
    )
    client.force_login(users.outsider)
    for url in ("", "progress/", "errors.xlsx"):
        assert client.get(f"/registry/io/jobs/{job.pk}/{url}").status_code == 404
    client.force_login(users.cadre)  # covers the worker's community
    assert client.get(f"/registry/io/jobs/{job.pk}/").status_code == 200


@pytest.mark.django_db
def test_scope_outside_the_users_jurisdiction_is_refused(
    client: Any, tmp_path: Path, city: TestCity, users: RoleUsers
) -> None:
    client.force_login(users.worker)
    response = client.post(
        "/registry/io/import/person/",
        {"file": people_csv(tmp_path, city), "scope_code": city.grids["b1"].code},
    )
    assert response.status_code == 200
    assert "请选择您管辖的范围" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["auditor", "department", "resident"])
def test_read_only_roles_cannot_import(client: Any, users: RoleUsers, role: str) -> None:
    client.force_login(getattr(users, role))
    assert client.get("/registry/io/import/person/").status_code == 403
    assert client.get("/registry/io/").status_code == 403


@pytest.mark.django_db
def test_templates_download_with_chinese_headers(client: Any, users: RoleUsers) -> None:
    client.force_login(users.worker)
    csv = client.get("/registry/io/template/person.csv").content.decode("utf-8")
    assert csv.startswith("\ufeff姓名*,")
    workbook = load_workbook(io.BytesIO(client.get("/registry/io/template/building.xlsx").content))
    header = [c.value for c in workbook["导入模板"][1]]
    assert header[:4] == ["网格编码", "经度", "纬度", "地址*"]
    assert workbook["填写说明"]["A2"].value == "网格编码"


@pytest.mark.django_db
def test_job_list_has_constant_query_count(
    client: Any, city: TestCity, users: RoleUsers, django_assert_num_queries: Any
) -> None:
    for _ in range(30):
        ImportJob.objects.create(
            kind="person",
            file="imports/x.csv",
            scope_code=city.grids["a1_west"].code,
            created_by=users.worker,
        )
    client.force_login(users.worker)
    with django_assert_num_queries(9):
        response = client.get("/registry/io/?size=20")
    assert response.content.decode().count("/registry/io/jobs/") == 20


def test_templates_stay_chinese_for_english_pages() -> None:
    from django.utils import translation

    from civicgrid.registry.io.exports import template_xlsx

    with translation.override("en"):
        workbook = load_workbook(io.BytesIO(template_xlsx("person")))
    notes = {row[0]: row[2] for row in workbook["填写说明"].iter_rows(values_only=True)}
    assert "户籍人口" in notes["人口类型"]
