"""Which departments a case may go to is decided once, in the workflow: current departments of
the case's place. The API refuses another district's department with a Chinese reason, the
dispatch form offers exactly what the workflow accepts, and the department the responsibility
list names is pre-selected and used when none is chosen."""

from datetime import date

import pytest
from django.test import Client

from civicgrid.accounts.models import Department
from civicgrid.cases.choices import CaseStatus, HandlingLevel
from civicgrid.cases.forms import DispatchForm
from civicgrid.cases.models import Case, ResponsibilityRule
from civicgrid.cases.workflow import TransitionError, case_transition, dispatch_departments
from civicgrid.testing.cases import put_in_status
from civicgrid.testing.users import RoleUsers


@pytest.fixture
def elsewhere() -> Department:
    return Department.objects.create(code="yy-cgj", name="云岩区城管局", region_code="520103")


@pytest.fixture
def to_dispatch(case: Case) -> Case:
    return put_in_status(case, CaseStatus.TO_DISPATCH)


def test_api_refuses_a_department_of_another_district(
    client: Client, users: RoleUsers, to_dispatch: Case, elsewhere: Department
) -> None:
    client.force_login(users.command)
    response = client.post(
        f"/api/v1/cases/{to_dispatch.pk}/dispatch",
        {"department": elsewhere.pk},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert "不负责事件所在区域" in response.json()["detail"]
    to_dispatch.refresh_from_db()
    assert (to_dispatch.status, to_dispatch.department_id) == (CaseStatus.TO_DISPATCH, None)


def test_retired_department_is_refused(users: RoleUsers, to_dispatch: Case) -> None:
    users.dept.retired_on = date(2026, 1, 1)
    users.dept.save()
    with pytest.raises(TransitionError, match="已撤销"):
        case_transition(
            case=to_dispatch, action="dispatch", actor=users.command, department=users.dept
        )


def test_form_offers_exactly_what_the_workflow_accepts(
    users: RoleUsers, to_dispatch: Case, elsewhere: Department
) -> None:
    form = DispatchForm(case=to_dispatch, actor=users.command, prefix="dispatch")
    offered = set(form.fields["department"].queryset)  # type: ignore[attr-defined]
    assert offered == set(dispatch_departments(to_dispatch))
    assert users.dept in offered
    assert elsewhere not in offered


def test_responsibility_list_department_is_preselected_and_the_default(
    client: Client, users: RoleUsers, to_dispatch: Case
) -> None:
    water = Department.objects.create(code="sw", name="水务局", region_code="520102")
    rule = ResponsibilityRule.objects.create(
        category=to_dispatch.category,
        region_prefix="520102",
        level=HandlingLevel.DEPARTMENT,
        department=water,
        accept_limit=1,
        dispatch_limit=1,
        handle_limit=1,
        verify_limit=1,
    )
    Case.objects.filter(pk=to_dispatch.pk).update(rule=rule)
    to_dispatch.refresh_from_db()
    form = DispatchForm(case=to_dispatch, actor=users.command, prefix="dispatch")
    assert form.fields["department"].initial == water.pk
    client.force_login(users.command)
    response = client.post(
        f"/api/v1/cases/{to_dispatch.pk}/dispatch", {}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["department"] == "水务局"


def test_demo_rules_name_their_departments(users: RoleUsers) -> None:
    from civicgrid.cases.deadlines import rule_for
    from civicgrid.cases.demo import name_rule_departments
    from civicgrid.testing.cases import case_category

    written = name_rule_departments([users.dept])
    assert written > 0
    assert name_rule_departments([users.dept]) == 0  # idempotent
    garbage = rule_for(case_category("0102"), "520102001001001")
    assert garbage is not None and garbage.department == users.dept
    # The district rule keeps the time limits the city-wide rule gave (暴露垃圾: 4 hours).
    assert (float(garbage.handle_limit), garbage.handle_unit) == (4.0, "hours")
