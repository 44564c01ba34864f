"""Staff correct a published activity on the page and through the API's PATCH, with the same
service: the changes are saved, a case link is checked like at creation, and an outsider gets
404 exactly as for a missing activity."""

from datetime import time, timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from civicgrid.accounts.choices import Role
from civicgrid.testing.users import make_user


def _form(activity: Any, **changes: Any) -> dict[str, Any]:
    data = {
        "team": activity.team_id,
        "title": activity.title,
        "date": activity.date.isoformat(),
        "starts_at": activity.starts_at.strftime("%H:%M"),
        "ends_at": activity.ends_at.strftime("%H:%M"),
        "place": activity.place,
        "lat": activity.lat if activity.lat is not None else "",
        "lng": activity.lng if activity.lng is not None else "",
        "places": activity.places,
        "checkin_radius_m": activity.checkin_radius_m,
        "description": activity.description,
        "case_number": "",
        "task_id": "",
    }
    data.update(changes)
    return data


def test_the_page_saves_the_changes(users: Any, activity: Any) -> None:
    client = Client()
    client.force_login(users.cadre)
    url = f"/volunteers/manage/activities/{activity.pk}/edit/"
    page = client.get(url)
    assert page.status_code == 200 and activity.title in page.content.decode()
    # The browser's date and time inputs show only ISO values.
    assert f'value="{activity.date.isoformat()}"' in page.content.decode()
    assert 'value="09:00"' in page.content.decode()
    later = timezone.localdate() + timedelta(days=3)
    answer = client.post(
        url,
        _form(
            activity,
            title="河道清理",
            place="南明河边",
            places=8,
            date=later.isoformat(),
            starts_at="14:00",
            ends_at="16:30",
            checkin_radius_m=300,
        ),
    )
    assert answer.status_code == 302
    activity.refresh_from_db()
    assert (activity.title, activity.place, activity.places) == ("河道清理", "南明河边", 8)
    assert (activity.date, activity.starts_at, activity.ends_at) == (
        later,
        time(14, 0),
        time(16, 30),
    )
    assert activity.checkin_radius_m == 300
    assert (
        "修改活动" in client.get(f"/volunteers/manage/activities/{activity.pk}/").content.decode()
    )


def test_the_api_patch_changes_only_what_it_was_given(users: Any, activity: Any) -> None:
    client = Client()
    client.force_login(users.secretary)
    answer = client.patch(
        f"/api/v1/participation/volunteers/manage/activities/{activity.pk}",
        {"title": "义务理发", "places": 10},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["title"] == "义务理发" and answer.json()["places"] == 10
    activity.refresh_from_db()
    assert activity.place == "小区广场" and activity.starts_at == time(9, 0)


def test_an_unknown_case_number_is_refused_on_the_form(users: Any, activity: Any) -> None:
    client = Client()
    client.force_login(users.cadre)
    url = f"/volunteers/manage/activities/{activity.pk}/edit/"
    answer = client.post(url, _form(activity, case_number="NOPE-0001"))
    assert answer.status_code == 200
    assert "关联事件不存在或不属于本社区" in answer.content.decode()


def test_outsider_staff_get_404(city: Any, activity: Any) -> None:
    other = make_user("secretary_b", Role.SECRETARY, city.comm_b1.code)
    client = Client()
    client.force_login(other)
    url = f"/volunteers/manage/activities/{activity.pk}/edit/"
    assert client.get(url).status_code == 404
    assert client.post(url, _form(activity, title="改掉")).status_code == 404
    api = f"/api/v1/participation/volunteers/manage/activities/{activity.pk}"
    assert client.patch(api, {"title": "改掉"}, content_type="application/json").status_code == 404
    activity.refresh_from_db()
    assert activity.title == "小区环境清扫"
