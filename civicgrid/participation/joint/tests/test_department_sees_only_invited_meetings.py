"""Department users read only the meetings their department was invited to (once convened);
decisions and minutes appear to them when the meeting is closed. A command centre of another
street gets 404, as if the meeting did not exist; other roles are refused."""

from typing import Any

import pytest

from civicgrid.accounts.choices import Role
from civicgrid.participation.joint import services
from civicgrid.participation.joint.testing import bounce, convened_meeting
from civicgrid.testing.users import make_user


@pytest.fixture
def meeting(users: Any, waiting_case: Any) -> Any:
    case = bounce(waiting_case, command=users.command, passes=[(users.dept, users.department)] * 2)
    return convened_meeting(
        command=users.command, departments=[users.dept], cases=[case], title="城管协调会"
    )


@pytest.mark.django_db
def test_invited_department_sees_it_other_does_not(
    client: Any, users: Any, meeting: Any, zjj: Any
) -> None:
    client.force_login(users.department)
    assert "城管协调会" in client.get("/joint-meetings/").content.decode()
    assert client.get(f"/joint-meetings/{meeting.pk}/").status_code == 200
    client.force_login(zjj[1])
    assert "城管协调会" not in client.get("/joint-meetings/").content.decode()
    assert client.get(f"/joint-meetings/{meeting.pk}/").status_code == 404
    api = client.get(f"/api/v1/participation/joint-meetings/{meeting.pk}")
    assert api.status_code == 404


@pytest.mark.django_db
def test_draft_is_not_shown_to_departments(client: Any, users: Any, waiting_case: Any) -> None:
    draft = services.meeting_create(
        actor=users.command, title="草稿会", starts_at=waiting_case.reported_at, place="会议室",
        department_ids=[users.dept.pk], cases=[waiting_case],
    )  # fmt: skip
    client.force_login(users.department)
    assert client.get(f"/joint-meetings/{draft.pk}/").status_code == 404


@pytest.mark.django_db
def test_decisions_and_minutes_reach_the_department_when_closed(
    client: Any, users: Any, meeting: Any
) -> None:
    item = meeting.items.get()
    services.decision_record(
        item=item, actor=users.command, lead_department_id=users.dept.pk, due_days=4,
        note="城管局牵头",
    )  # fmt: skip
    services.minutes_save(meeting=meeting, actor=users.command, minutes="纪要正文甲乙丙")
    client.force_login(users.department)
    page = client.get(f"/joint-meetings/{meeting.pk}/").content.decode()
    assert "纪要正文甲乙丙" not in page and "城管局牵头" not in page
    services.meeting_close(meeting=meeting, actor=users.command, reason="议题已提前议完")
    page = client.get(f"/joint-meetings/{meeting.pk}/").content.decode()
    assert "纪要正文甲乙丙" in page and "城管局牵头" in page
    assert client.get(f"/joint-meetings/{meeting.pk}/print/").status_code == 200
    # Published to the department's users as a message.
    from civicgrid.notifications.models import Notification

    told = Notification.objects.filter(recipient=users.department, kind="joint_meeting")
    assert told.filter(title__contains="纪要").exists()


@pytest.mark.django_db
def test_outsiders_get_404_or_are_refused(client: Any, users: Any, meeting: Any, city: Any) -> None:
    command_b = make_user("command_b", Role.COMMAND, city.street_b.code)
    client.force_login(command_b)
    assert client.get(f"/joint-meetings/{meeting.pk}/").status_code == 404
    item = meeting.items.get()
    assert client.post(f"/joint-meetings/items/{item.pk}/apply/").status_code == 404
    client.force_login(users.outsider)
    assert client.get(f"/joint-meetings/{meeting.pk}/").status_code == 403
    # An invited department reads but does not write.
    client.force_login(users.department)
    assert client.post(f"/joint-meetings/{meeting.pk}/close/").status_code == 403
