"""Who may reach the import/export pages (docs/architecture.md "One way in"): every view
declares its policy; the auditor reads the map but not the ledgers, so every ledger page,
export, print, template and import page refuses it, even for a grid inside its scope."""

from typing import Any

import pytest
from django.urls import URLPattern, reverse

from civicgrid.core.models import AuditEntry
from civicgrid.core.policy import declared_policy
from civicgrid.registry.io import urls as io_urls
from civicgrid.registry.models import ImportJob
from civicgrid.registry.tests.factories import make_person
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers


def test_every_io_view_declares_its_policy() -> None:
    patterns = [p for p in io_urls.urlpatterns if isinstance(p, URLPattern)]
    assert patterns
    for pattern in patterns:
        declared = declared_policy(pattern.callback)
        assert declared is not None, pattern.name
        assert declared.roles is not None and "auditor" not in declared.roles, pattern.name
    assert reverse("registry:io_home") == "/registry/io/"


def urls(city: TestCity, job: ImportJob) -> list[str]:
    grid = city.grids["a1_west"].pk
    return [
        "/registry/io/",
        "/registry/io/import/person/",
        "/registry/io/template/person.xlsx",
        "/registry/io/template/person.csv",
        f"/registry/io/jobs/{job.pk}/",
        f"/registry/io/jobs/{job.pk}/progress/",
        f"/registry/io/jobs/{job.pk}/errors.xlsx",
        "/registry/io/ledger/",
        f"/registry/io/ledger/{grid}/export.xlsx",
        f"/registry/io/ledger/{grid}/unmasked/",
        f"/registry/io/ledger/{grid}/print/",
    ]


@pytest.fixture
def job(city: TestCity, users: RoleUsers) -> ImportJob:
    return ImportJob.objects.create(
        kind="person", file="", scope_code=city.grids["a1_west"].code, created_by=users.worker
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["auditor", "department", "resident"])
def test_roles_that_do_not_read_ledgers_get_403_everywhere(
    client: Any, city: TestCity, users: RoleUsers, job: ImportJob, role: str
) -> None:
    make_person(city.grids["a1_west"], name="张三")
    client.force_login(getattr(users, role))
    for url in urls(city, job):
        assert client.get(url).status_code == 403, url
    # Nothing was read, so nothing was exported or printed.
    assert not AuditEntry.objects.filter(action__in=["ledger_export", "ledger_print"]).exists()


@pytest.mark.django_db
def test_anonymous_is_sent_to_the_login_page(client: Any, city: TestCity, job: ImportJob) -> None:
    for url in urls(city, job):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], url


@pytest.mark.django_db
def test_outsider_gets_404_on_objects_of_another_street(
    client: Any, city: TestCity, users: RoleUsers, job: ImportJob
) -> None:
    client.force_login(users.outsider)
    for url in urls(city, job)[4:7] + urls(city, job)[8:]:
        assert client.get(url).status_code == 404, url


@pytest.mark.django_db
def test_ledger_keeper_of_the_grid_reaches_every_page(
    client: Any, city: TestCity, users: RoleUsers, job: ImportJob
) -> None:
    client.force_login(users.worker)
    for url in urls(city, job):
        expected = 403 if url.endswith("/unmasked/") else 200  # no unmask permission
        assert client.get(url).status_code == expected, url
