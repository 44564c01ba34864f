from datetime import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from civicgrid.cases.choices import Action, CaseStatus, Channel, Stage
from civicgrid.cases.models import CaseEvent
from civicgrid.cases.workflow import case_transition
from civicgrid.core.pii import blind_index
from civicgrid.testing.cases import MONDAY_10, OUTSIDE, SHANGHAI, case_category, report_case
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers


def test_report_locates_the_grid(city: TestCity, users: RoleUsers) -> None:
    case = report_case(users.worker)
    assert case.grid == city.grids["a1_west"]
    assert case.grid_code == city.grids["a1_west"].code
    assert not case.outside_grid


def test_case_outside_every_grid_goes_to_the_street_of_whoever_took_it(
    city: TestCity, users: RoleUsers
) -> None:
    case = report_case(users.worker, point=OUTSIDE)
    assert case.outside_grid
    assert case.grid is None
    assert case.grid_code == city.street_a.code


def test_resident_case_outside_every_grid_goes_to_the_nearest_grids_street(
    city: TestCity, users: RoleUsers
) -> None:
    case = report_case(users.resident, channel=Channel.RESIDENT, point=(26.505, 106.745))
    assert case.outside_grid
    assert case.grid_code == city.street_b.code


def test_call_with_an_address_only_stays_in_the_community_that_took_it(
    city: TestCity, users: RoleUsers
) -> None:
    case = report_case(
        users.secretary, point=None, channel=Channel.HOTLINE, address="多福巷 196 号 3 栋",
        reporter_name="陈女士",
    )  # fmt: skip
    assert (case.grid, case.grid_code, case.outside_grid) == (None, city.comm_a1.code, False)
    assert case.number.startswith(f"{city.comm_a1.code}-")


def test_worker_report_with_an_address_only_stays_in_the_workers_grid(
    city: TestCity, users: RoleUsers
) -> None:
    case = report_case(users.worker, point=None, address="多福巷 196 号门口")
    assert case.grid_code == city.grids["a1_west"].code
    assert not case.outside_grid


def test_staff_who_takes_a_case_is_first_contact_owner(users: RoleUsers) -> None:
    case = report_case(users.worker)
    assert case.first_owner == users.worker


def test_resident_request_gets_its_first_contact_owner_when_accepted(users: RoleUsers) -> None:
    case = report_case(users.resident, channel=Channel.RESIDENT)
    assert case.first_owner is None
    assert case.reporter == users.resident
    case_transition(case=case, action=Action.ACCEPT, actor=users.secretary)
    assert case.first_owner == users.secretary


def test_numbers_count_per_community_and_day(city: TestCity, users: RoleUsers) -> None:
    first = report_case(users.worker)
    second = report_case(users.worker)
    assert first.number == f"{city.comm_a1.code}-20261123-0001"
    assert second.number == f"{city.comm_a1.code}-20261123-0002"


def test_accept_clock_starts_at_intake(users: RoleUsers) -> None:
    case = report_case(users.worker)
    assert case.stage == Stage.ACCEPT
    # 暴露垃圾: one working hour to accept.
    assert case.stage_due_at == datetime(2026, 11, 23, 11, 0, tzinfo=SHANGHAI)


def test_urgent_case_uses_the_emergency_limits(users: RoleUsers) -> None:
    case = report_case(users.worker, category=case_category("0401"), urgent=True)
    assert case.stage_due_at == datetime(2026, 11, 23, 10, 15, tzinfo=SHANGHAI)


def test_report_writes_the_first_event(users: RoleUsers) -> None:
    case = report_case(users.worker)
    event = CaseEvent.objects.get(case=case)
    assert (event.action, event.from_status, event.to_status) == (
        Action.REPORT,
        "",
        CaseStatus.REPORTED,
    )
    assert event.actor == users.worker
    assert event.at == MONDAY_10
    assert event.next_deadline == case.stage_due_at


def test_reporter_phone_is_encrypted_with_a_blind_index(users: RoleUsers) -> None:
    case = report_case(users.secretary, channel=Channel.HOTLINE, reporter_phone="138 0000 5678")
    with connection.cursor() as cursor:
        cursor.execute("SELECT reporter_phone FROM cases_case WHERE id = %s", [case.pk])
        stored = cursor.fetchone()[0]
    assert "13800005678" not in stored
    assert case.reporter_phone_index == blind_index("13800005678", purpose="phone")


def test_major_category_is_refused_with_a_chinese_message(users: RoleUsers) -> None:
    with pytest.raises(ValidationError) as caught:
        report_case(users.worker, category=case_category("01"))
    assert "请选择小类" in str(caught.value.message_dict["category"])


def test_resident_cannot_pretend_to_be_the_hotline(users: RoleUsers) -> None:
    with pytest.raises(ValidationError) as caught:
        report_case(users.resident, channel=Channel.HOTLINE)
    assert "居民" in str(caught.value.message_dict["channel"])


def test_department_handler_cannot_report(users: RoleUsers) -> None:
    with pytest.raises(ValidationError):
        report_case(users.department)
