"""The worker's home screen and the 拍照上报 page: who may open them, and that each carries
what it needs offline (categories in the page, the 待同步 panel, the outbox script)."""

from typing import Any

import pytest
from django.test import Client

from civicgrid.testing.cases import case_category
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_worker_gets_a_home_screen_of_big_tiles(users: RoleUsers) -> None:
    response = _signed_in(users.worker).get("/fieldwork/")
    assert response.status_code == 200
    page = response.content.decode()
    for tile in ("拍照上报", "巡查", "入户走访", "待同步"):
        assert tile in page
    assert 'href="/fieldwork/report/"' in page
    assert 'id="outbox"' in page and "fieldwork_outbox.js" in page
    assert 'data-sw="/fieldwork/sw.js"' in page


def test_supervisors_still_go_on_to_the_on_duty_map(users: RoleUsers) -> None:
    response = _signed_in(users.command).get("/fieldwork/")
    assert response.status_code == 302
    assert response["Location"] == "/fieldwork/onduty/"


def test_the_report_page_works_for_a_worker_with_the_categories_in_the_page(
    users: RoleUsers,
) -> None:
    category = case_category()
    response = _signed_in(users.worker).get("/fieldwork/report/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'value="{category.pk}"' in page
    assert 'capture="environment"' in page and 'accept="image/*"' in page
    assert 'data-api="/api/v1/fieldwork/reports"' in page
    assert "fieldwork_report.js" in page and 'id="outbox"' in page


@pytest.mark.parametrize("role", ["resident", "department", "command", "auditor"])
def test_the_report_page_is_refused_to_other_roles(users: RoleUsers, role: str) -> None:
    assert _signed_in(getattr(users, role)).get("/fieldwork/report/").status_code == 403


def test_the_report_page_asks_an_anonymous_visitor_to_sign_in() -> None:
    response = Client().get("/fieldwork/report/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_patrol_and_visit_pages_carry_the_waiting_panel(users: RoleUsers) -> None:
    page = _signed_in(users.worker).get("/fieldwork/patrol/").content.decode()
    assert 'id="outbox"' in page
