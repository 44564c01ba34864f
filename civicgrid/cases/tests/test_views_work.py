from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from civicgrid.cases.choices import Action
from civicgrid.testing.case_pages import walk
from civicgrid.testing.cases import report_case
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db


def test_secretary_sees_the_new_case_in_to_accept_with_its_count(
    client: Any, users: RoleUsers
) -> None:
    case = report_case(users.worker)
    client.force_login(users.secretary)
    page = client.get("/cases/work/?q=to_accept").content.decode()
    assert case.number in page
    assert 'data-queue="to_accept">待受理 <span class="count has">1</span>' in page


def test_department_queue_holds_what_was_dispatched_to_it(client: Any, users: RoleUsers) -> None:
    case = walk(report_case(users.worker), users, until=Action.DISPATCH)
    report_case(users.worker)
    client.force_login(users.department)
    page = client.get("/cases/work/?q=to_sign").content.decode()
    assert case.number in page
    assert page.count("data-case=") == 1


def test_grid_worker_finds_fed_back_cases_to_verify(client: Any, users: RoleUsers) -> None:
    case = walk(report_case(users.worker), users, until=Action.FEEDBACK)
    client.force_login(users.worker)
    page = client.get("/cases/work/?q=to_verify").content.decode()
    assert case.number in page


def test_deadline_badge_is_shown(client: Any, users: RoleUsers) -> None:
    report_case(users.worker, at=timezone.now() - timedelta(days=10))
    client.force_login(users.secretary)
    assert (
        '<span class="badge bad">已超期</span>'
        in client.get("/cases/work/?q=to_accept").content.decode()
    )


def test_resident_is_sent_to_their_own_requests(client: Any, users: RoleUsers) -> None:
    client.force_login(users.resident)
    assert client.get("/cases/work/")["Location"] == "/cases/mine/"


def test_workbench_shows_the_queue_counts(client: Any, users: RoleUsers) -> None:
    report_case(users.worker)
    client.force_login(users.secretary)
    page = client.get("/").content.decode()
    assert 'href="/cases/work/?q=to_accept"><div class="n">1</div>' in page


def test_queue_page_has_a_constant_query_count(
    client: Any, users: RoleUsers, django_assert_num_queries: Any
) -> None:
    client.force_login(users.secretary)
    report_case(users.worker)
    client.get("/cases/work/?q=to_accept")  # warms the working-calendar cache
    with django_assert_num_queries(7) as few:
        client.get("/cases/work/?q=to_accept")
    for _ in range(12):
        report_case(users.worker)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/cases/work/?q=to_accept")
    assert response.content.decode().count("data-case=") == 13
