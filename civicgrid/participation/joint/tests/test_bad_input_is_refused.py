"""Bad input is refused with a clear Chinese message, never a 500: a case outside the
convener's jurisdiction, a department that does not serve it, a case added twice, a decision
after close, a deadline of 0 or 400 working days, a decision applied to a case in the wrong
state."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from civicgrid.cases.choices import Action
from civicgrid.cases.workflow import case_transition
from civicgrid.participation.joint import services
from civicgrid.participation.joint.testing import bounce, convened_meeting
from civicgrid.testing.cases import IN_B1, report_case

API = "/api/v1/participation/joint-meetings"


def _create(users: Any, **kwargs: Any) -> Any:
    kwargs.setdefault("department_ids", [users.dept.pk])
    return services.meeting_create(
        actor=users.command, title="协调会", starts_at=timezone.now(), place="会议室", **kwargs
    )


@pytest.mark.django_db
def test_case_of_another_street_is_not_found(users: Any) -> None:
    other = report_case(users.outsider, point=IN_B1)
    with pytest.raises(ValidationError, match="不在您的管辖范围内"):
        services.cases_by_ids(users.command, [other.pk])
    meeting = _create(users)
    with pytest.raises(ValidationError, match="不在您的管辖范围内"):
        services.agenda_add(meeting=meeting, actor=users.command, cases=[other])


@pytest.mark.django_db
def test_department_of_another_district_cannot_be_invited(users: Any, far_dept: Any) -> None:
    with pytest.raises(ValidationError, match="不负责本会议所属辖区"):
        _create(users, department_ids=[far_dept[0].pk])


@pytest.mark.django_db
def test_a_case_added_twice_is_refused(users: Any, waiting_case: Any) -> None:
    meeting = _create(users, cases=[waiting_case])
    with pytest.raises(ValidationError, match="不能重复添加"):
        services.agenda_add(meeting=meeting, actor=users.command, cases=[waiting_case])
    assert meeting.items.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("days", [0, 400, -1, "三天"])
def test_deadline_outside_1_to_60_working_days(users: Any, waiting_case: Any, days: Any) -> None:
    meeting = convened_meeting(
        command=users.command, departments=[users.dept], cases=[waiting_case]
    )
    item = meeting.items.get()
    with pytest.raises(ValidationError, match="工作日"):
        services.decision_record(
            item=item, actor=users.command, lead_department_id=users.dept.pk, due_days=days
        )
    item.refresh_from_db()
    assert item.decided_at is None


@pytest.mark.django_db
def test_decision_after_close_is_refused(users: Any, waiting_case: Any) -> None:
    meeting = convened_meeting(
        command=users.command, departments=[users.dept], cases=[waiting_case]
    )
    services.meeting_close(
        meeting=meeting, actor=users.command, minutes="纪要", reason="议题已议完"
    )
    with pytest.raises(ValidationError, match="会议已结束"):
        services.decision_record(
            item=meeting.items.get(), actor=users.command, lead_department_id=users.dept.pk,
            due_days=5,
        )  # fmt: skip


@pytest.mark.django_db
def test_lead_must_be_invited(users: Any, waiting_case: Any, zjj: Any) -> None:
    meeting = convened_meeting(
        command=users.command, departments=[users.dept], cases=[waiting_case]
    )
    with pytest.raises(ValidationError, match="未受邀"):
        services.decision_record(
            item=meeting.items.get(), actor=users.command, lead_department_id=zjj[0].pk,
            due_days=5,
        )  # fmt: skip


@pytest.mark.django_db
def test_case_handled_by_another_department_is_refused_with_what_to_do(
    users: Any, waiting_case: Any, zjj: Any
) -> None:
    case = bounce(waiting_case, command=users.command, passes=[zjj])
    case = case_transition(
        case=case, action=Action.DISPATCH, actor=users.command, department=zjj[0]
    )
    meeting = convened_meeting(
        command=users.command, departments=[users.dept, zjj[0]], cases=[case]
    )
    item = meeting.items.get()
    services.decision_record(
        item=item, actor=users.command, lead_department_id=users.dept.pk, due_days=5
    )
    with pytest.raises(ValidationError, match="须先由该部门回退"):
        services.decision_apply(item=item, actor=users.command)
    item.refresh_from_db()
    assert item.applied_at is None and item.decided_at is not None


@pytest.mark.django_db
def test_api_answers_bad_input_with_4xx_and_chinese(
    client: Any, users: Any, waiting_case: Any, far_dept: Any
) -> None:
    client.force_login(users.command)
    body = {
        "title": "协调会", "starts_at": timezone.now().isoformat(), "place": "会议室",
        "departments": [far_dept[0].pk], "cases": [waiting_case.pk],
    }  # fmt: skip
    response = client.post(f"{API}/", body, content_type="application/json")
    assert response.status_code == 422
    assert "不负责" in response.json()["detail"]
    body["departments"] = [users.dept.pk]
    response = client.post(f"{API}/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    meeting = response.json()
    client.post(f"{API}/{meeting['id']}/convene")
    item = meeting["items"][0]["id"]
    for days in (0, 400):
        response = client.put(
            f"{API}/items/{item}/decision",
            {"lead_department": users.dept.pk, "due_days": days},
            content_type="application/json",
        )
        assert response.status_code == 422
    response = client.post(
        f"{API}/{meeting['id']}/agenda",
        {"cases": [waiting_case.pk]},
        content_type="application/json",
    )
    assert response.status_code == 422 and "重复" in response.json()["detail"]


@pytest.mark.django_db
def test_bad_page_input_is_told_not_a_500(client: Any, users: Any, waiting_case: Any) -> None:
    client.force_login(users.command)
    response = client.post(
        "/joint-meetings/new/",
        {"title": "", "starts_at": "明天", "place": "", "region": "x", "cases": "NOPE-1"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "请填写会议名称" in page and "会议时间格式" in page
