"""Staff of another street get 404 for this street's teams, volunteers, activities and
sign-ups (pages and API), see none of them in their lists, and cannot sign up a volunteer of
another community; residents and grid workers are refused the staff side."""

from typing import Any

from django.test import Client

from civicgrid.accounts.choices import Role
from civicgrid.participation.volunteers import services
from civicgrid.participation.volunteers.testing import make_volunteer
from civicgrid.testing.users import make_user


def test_other_street_gets_404_and_empty_lists(
    city: Any, users: Any, team: Any, activity: Any
) -> None:
    volunteer = make_volunteer(city.comm_a1, "甲街道志愿者")
    row = services.signup(activity=activity, volunteer=volunteer, actor=users.cadre)
    other = make_user("secretary_b", Role.SECRETARY, city.comm_b1.code)
    client = Client()
    client.force_login(other)
    for url in (
        f"/volunteers/manage/teams/{team.pk}/",
        f"/volunteers/manage/volunteers/{volunteer.pk}/",
        f"/volunteers/manage/volunteers/{volunteer.pk}/certificate/2026/",
        f"/volunteers/manage/activities/{activity.pk}/",
        f"/api/v1/participation/volunteers/manage/activities/{activity.pk}",
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        f"/volunteers/manage/activities/{activity.pk}/close/",
        f"/volunteers/manage/activities/{activity.pk}/attendance/",
        f"/volunteers/manage/signups/{row.pk}/hours/",
    ):
        assert client.post(url, {"hours": "1", "reason": "x"}).status_code == 404, url
    for url in ("/volunteers/manage/", "/volunteers/manage/volunteers/"):
        page = client.get(url).content.decode()
        assert "甲街道志愿者" not in page and activity.title not in page and team.name not in page
    assert client.get("/api/v1/participation/volunteers/manage/activities").json() == []


def test_staff_cannot_sign_up_a_volunteer_of_another_community(
    city: Any, users: Any, activity: Any
) -> None:
    stranger = make_volunteer(city.comm_b1, "乙街道志愿者")
    client = Client()
    client.force_login(users.secretary)
    client.post(f"/volunteers/manage/activities/{activity.pk}/signup/", {"volunteer": stranger.pk})
    assert not activity.signups.exists()


def test_residents_and_grid_workers_are_refused_the_staff_side(users: Any) -> None:
    for user in (users.resident, users.worker):
        client = Client()
        client.force_login(user)
        assert client.get("/volunteers/manage/").status_code == 403
        assert client.get("/api/v1/participation/volunteers/manage/teams").status_code == 403


def test_own_staff_see_full_names_and_masked_phones(city: Any, users: Any, activity: Any) -> None:
    volunteer = make_volunteer(city.comm_a1, "张三华", phone="13812345678")
    services.signup(activity=activity, volunteer=volunteer, actor=users.cadre)
    client = Client()
    client.force_login(users.command)
    page = client.get(f"/volunteers/manage/activities/{activity.pk}/").content.decode()
    assert "张三华" in page and "138****5678" in page and "13812345678" not in page


def test_api_staff_signup_checks_the_volunteer_too(city: Any, users: Any, activity: Any) -> None:
    outside = make_volunteer(city.comm_a1, "外来志愿者")
    stranger = make_volunteer(city.comm_b1, "乙街道志愿者")
    neighbour = make_volunteer(city.comm_a2, "甲二社区志愿者")
    client = Client()
    client.force_login(users.command)
    url = f"/api/v1/participation/volunteers/manage/activities/{activity.pk}/signups"

    def post(volunteer: Any) -> Any:
        return client.post(url, {"volunteer_id": volunteer.pk}, content_type="application/json")

    assert post(stranger).status_code == 404
    refused = post(neighbour)
    assert refused.status_code == 422 and "本社区" in refused.json()["detail"]
    accepted = post(outside)
    assert accepted.status_code == 201 and accepted.json()["name"] == "外来志愿者"
    assert list(activity.signups.values_list("volunteer__name", flat=True)) == ["外来志愿者"]
