"""The case page lists the volunteer activities linked to that case for staff who see the
case; another case shows none, and residents get no panel."""

from typing import Any

from django.test import Client

from civicgrid.participation.volunteers.case_panel import case_panel
from civicgrid.participation.volunteers.models import Activity
from civicgrid.testing.cases import report_case


def test_staff_see_the_linked_activity_on_its_case_only(users: Any, activity: Any) -> None:
    linked = report_case(users.worker)
    other = report_case(users.worker, description="路灯不亮")
    Activity.objects.filter(pk=activity.pk).update(case=linked)
    client = Client()
    client.force_login(users.cadre)
    page = client.get(f"/cases/{linked.pk}/").content.decode()
    assert "关联志愿活动" in page and activity.title in page
    assert f"/volunteers/manage/activities/{activity.pk}/" in page
    assert "剩余名额 2 / 2" in page
    page = client.get(f"/cases/{other.pk}/").content.decode()
    assert "关联志愿活动" not in page and activity.title not in page
    assert case_panel(linked, users.resident) is None
