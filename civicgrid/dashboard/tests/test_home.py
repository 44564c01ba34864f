from typing import Any

import pytest

from civicgrid.testing.users import RoleUsers


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_login(client: Any) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_grid_worker_workbench_names_their_grid_and_counts_it(
    client: Any, users: RoleUsers
) -> None:
    client.force_login(users.worker)
    body = client.get("/").content.decode()
    assert "甲一社区1号网格" in body
    assert "网格地图" in body  # navigation shows only the modules this role uses


@pytest.mark.django_db
def test_resident_lands_on_their_requests_without_staff_modules(
    client: Any, users: RoleUsers
) -> None:
    client.force_login(users.resident)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/cases/mine/"
    body = response.content.decode()
    assert "网格地图" not in body
    assert "区划网格" not in body
    assert "未分配管辖范围" not in body


@pytest.mark.django_db
def test_department_handler_sees_their_department_not_empty_region_counters(
    client: Any, users: RoleUsers
) -> None:
    client.force_login(users.department)
    body = client.get("/").content.decode()
    assert "城管局" in body
    assert "未分配管辖范围" not in body
    assert '<div class="l">街道</div>' not in body


@pytest.mark.django_db
def test_english_is_available(client: Any, users: RoleUsers) -> None:
    client.force_login(users.worker)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get("/").content.decode()
    assert 'lang="en"' in body
    assert "Workbench" in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "counts"),
    [("worker", (1, 1, 1)), ("cadre", (1, 1, 2)), ("command", (1, 2, 3)), ("sysadmin", (2, 3, 4))],
)
def test_workbench_counts_streets_communities_and_grids_in_scope(
    users: RoleUsers, role: str, counts: tuple[int, int, int]
) -> None:
    from civicgrid.geo.selectors import jurisdiction_summary

    summary = jurisdiction_summary(getattr(users, role))
    assert (summary["streets"], summary["communities"], summary["grids"]) == counts
