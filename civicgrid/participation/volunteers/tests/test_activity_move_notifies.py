"""Moving an activity's date or time tells the signed-up volunteers who have an account, once
per change; a change of the title alone tells nobody. The title is stored as plain text and
the inbox escapes it."""

from datetime import time, timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from civicgrid.accounts.choices import Role
from civicgrid.notifications.models import Notification
from civicgrid.participation.volunteers import services
from civicgrid.participation.volunteers.testing import make_volunteer
from civicgrid.testing.users import make_user


def _signed(city: Any, users: Any, activity: Any) -> Any:
    activity.places = 5
    activity.save()
    services.signup(
        activity=activity,
        volunteer=make_volunteer(city.comm_a1, "居民甲", user=users.resident),
        actor=users.resident,
    )
    services.signup(
        activity=activity, volunteer=make_volunteer(city.comm_a1, "无账号乙"), actor=users.cadre
    )
    gone = make_user("resident_gone", Role.RESIDENT)
    row = services.signup(
        activity=activity,
        volunteer=make_volunteer(city.comm_a1, "已取消丙", user=gone),
        actor=gone,
    )
    services.signup_cancel(activity=activity, volunteer=row.volunteer)
    return gone


def test_a_time_change_tells_the_signed_up_once(city: Any, users: Any, activity: Any) -> None:
    gone = _signed(city, users, activity)
    activity.title = "<b>清扫</b>"
    activity.save()
    client = Client()
    client.force_login(users.cadre)
    url = f"/api/v1/participation/volunteers/manage/activities/{activity.pk}"
    moved = {"starts_at": "10:00:00", "ends_at": "12:00:00"}
    assert client.patch(url, moved, content_type="application/json").status_code == 200
    assert client.patch(url, moved, content_type="application/json").status_code == 200
    sent = Notification.objects.filter(kind="volunteer_activity")
    assert [n.recipient_id for n in sent] == [users.resident.pk]
    assert "09:00–11:00" in sent[0].body and "10:00–12:00" in sent[0].body
    assert not Notification.objects.filter(recipient=gone).exists()
    later = (timezone.localdate() + timedelta(days=2)).isoformat()
    answer = client.patch(url, {"date": later}, content_type="application/json")
    assert answer.status_code == 200, answer.content
    # Each later move is told again.
    assert Notification.objects.filter(kind="volunteer_activity").count() == 2
    inbox = Client()
    inbox.force_login(users.resident)
    page = inbox.get("/notifications/").content.decode()
    assert "<b>清扫</b>" not in page and "&lt;b&gt;清扫&lt;/b&gt;" in page


def test_a_title_change_tells_nobody(city: Any, users: Any, activity: Any) -> None:
    _signed(city, users, activity)
    services.activity_update(
        activity=activity,
        actor=users.cadre,
        changes={"title": "新名称", "starts_at": time(9, 0), "place": "新地点"},
    )
    assert not Notification.objects.filter(kind="volunteer_activity").exists()
