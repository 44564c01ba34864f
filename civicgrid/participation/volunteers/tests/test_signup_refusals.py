"""Sign-up over capacity, twice, after the start: a clear Chinese refusal; cancelling before
the start keeps the record and frees the place."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils.html import escape

from civicgrid.accounts.choices import Role
from civicgrid.participation.volunteers import services
from civicgrid.participation.volunteers.choices import SignupStatus
from civicgrid.participation.volunteers.models import Signup, Volunteer
from civicgrid.participation.volunteers.testing import make_volunteer
from civicgrid.testing.users import make_user


def test_full_twice_and_started_are_refused(city: Any, users: Any, activity: Any) -> None:
    a, b, c = (make_volunteer(city.comm_a1, n) for n in ("甲", "乙", "丙"))
    services.signup(activity=activity, volunteer=a, actor=users.cadre)
    with pytest.raises(ValidationError, match="无需重复报名"):
        services.signup(activity=activity, volunteer=a, actor=users.cadre)
    services.signup(activity=activity, volunteer=b, actor=users.cadre)
    with pytest.raises(ValidationError, match="名额已满"):
        services.signup(activity=activity, volunteer=c, actor=users.cadre)

    with time_machine.travel(activity.start + timedelta(minutes=1)):
        with pytest.raises(ValidationError, match="报名已截止"):
            services.signup(activity=activity, volunteer=c, actor=users.cadre)
        with pytest.raises(ValidationError, match="不能取消"):
            services.signup_cancel(activity=activity, volunteer=a)


def test_cancel_keeps_the_record_and_frees_the_place(city: Any, users: Any, activity: Any) -> None:
    a, b, c = (make_volunteer(city.comm_a1, n) for n in ("甲", "乙", "丙"))
    services.signup(activity=activity, volunteer=a, actor=users.cadre)
    services.signup(activity=activity, volunteer=b, actor=users.cadre)
    services.signup_cancel(activity=activity, volunteer=a)
    row = Signup.objects.get(activity=activity, volunteer=a)
    assert row.status == SignupStatus.CANCELLED and row.cancelled_at is not None
    services.signup(activity=activity, volunteer=c, actor=users.cadre)
    assert services.places_taken(activity) == 2


def test_resident_page_and_api_say_why(city: Any, users: Any, activity: Any) -> None:
    activity.places = 1
    activity.save()
    first, second = make_user("r1", Role.RESIDENT), make_user("r2", Role.RESIDENT)
    client = Client()
    client.force_login(first)
    response = client.post(f"/volunteers/activities/{activity.pk}/signup/", {"phone": ""})
    assert response.status_code == 302 and response["Location"].endswith("/volunteers/#mine")
    again = client.post(f"/volunteers/activities/{activity.pk}/signup/", follow=True)
    assert "无需重复报名" in again.content.decode()

    client.force_login(second)
    api = client.post(
        f"/api/v1/participation/volunteers/activities/{activity.pk}/signup",
        data={"phone": "13800000000"},
        content_type="application/json",
    )
    assert api.status_code == 422
    assert api.json()["detail"] == "名额已满"
    # The refused sign-up leaves no volunteer record behind.
    assert not Volunteer.objects.filter(user=second).exists()


@pytest.mark.parametrize("typed", ["<img src=x onerror=alert(1)>", "<b>123</b>", "12-34"])
def test_an_invalid_phone_is_refused_on_the_page_and_kept_to_correct(
    city: Any, activity: Any, typed: str
) -> None:
    resident = make_user("r1", Role.RESIDENT)
    client = Client()
    client.force_login(resident)
    response = client.post(f"/volunteers/activities/{activity.pk}/signup/", {"phone": typed})
    page = response.content.decode()
    assert response.status_code == 400
    assert "联系电话格式不正确" in page
    assert f'value="{escape(typed)}"' in page
    assert "<img" not in page and "<b>" not in page  # shown as text, never as markup
    assert not Signup.objects.filter(activity=activity).exists()
    assert not Volunteer.objects.filter(user=resident).exists()


def test_a_volunteer_already_on_record_is_not_signed_up_past_a_bad_phone(
    city: Any, activity: Any
) -> None:
    resident = make_user("r1", Role.RESIDENT)
    make_volunteer(city.comm_a1, "甲", user=resident, phone="")
    client = Client()
    client.force_login(resident)
    response = client.post(f"/volunteers/activities/{activity.pk}/signup/", {"phone": "abc1234"})
    assert "联系电话格式不正确" in response.content.decode()
    assert not Signup.objects.filter(activity=activity).exists()
    with pytest.raises(ValidationError, match="7 到 15 位数字"):
        services.resident_profile(resident, city.comm_a1.code, phone="abc1234")
