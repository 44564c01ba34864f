"""Applying a decision twice changes nothing the second time (no second CaseEvent)."""

from typing import Any

import pytest

from civicgrid.cases.models import CaseEvent
from civicgrid.participation.joint import services
from civicgrid.participation.joint.testing import bounce, convened_meeting


@pytest.mark.django_db
def test_second_apply_changes_nothing(client: Any, users: Any, waiting_case: Any) -> None:
    case = bounce(waiting_case, command=users.command, passes=[(users.dept, users.department)] * 2)
    meeting = convened_meeting(command=users.command, departments=[users.dept], cases=[case])
    item = meeting.items.get()
    services.decision_record(
        item=item, actor=users.command, lead_department_id=users.dept.pk, due_days=10
    )
    _item, first = services.decision_apply(item=item, actor=users.command)
    count = CaseEvent.objects.filter(case=case).count()
    case.refresh_from_db()
    version = case.version
    _item, second = services.decision_apply(item=item, actor=users.command)
    assert first and not second
    case.refresh_from_db()
    assert CaseEvent.objects.filter(case=case).count() == count
    assert case.version == version
    # The API says so too.
    client.force_login(users.command)
    response = client.post(f"/api/v1/participation/joint-meetings/items/{item.pk}/apply")
    assert response.status_code == 200
    assert response.json()["changed"] is False
    assert CaseEvent.objects.filter(case=case).count() == count
