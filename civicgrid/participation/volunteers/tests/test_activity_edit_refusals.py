"""An edit never sets the places below the sign-ups already taken, and a closed or cancelled
activity is not edited any more (page and API)."""

from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from civicgrid.participation.volunteers import services
from civicgrid.participation.volunteers.choices import ActivityStatus
from civicgrid.participation.volunteers.testing import make_activity, make_volunteer


def test_places_below_signups_are_refused(city: Any, users: Any, activity: Any) -> None:
    activity.places = 5
    activity.save()
    for name in ("甲", "乙", "丙"):
        services.signup(
            activity=activity, volunteer=make_volunteer(city.comm_a1, name), actor=users.cadre
        )
    with pytest.raises(ValidationError, match="已有 3 人报名,名额不能少于 3"):
        services.activity_update(activity=activity, actor=users.cadre, changes={"places": 2})
    client = Client()
    client.force_login(users.cadre)
    answer = client.patch(
        f"/api/v1/participation/volunteers/manage/activities/{activity.pk}",
        {"places": 2},
        content_type="application/json",
    )
    assert answer.status_code == 422 and "名额不能少于 3" in answer.json()["detail"]
    activity.refresh_from_db()
    assert activity.places == 5
    services.activity_update(activity=activity, actor=users.cadre, changes={"places": 3})
    activity.refresh_from_db()
    assert activity.places == 3


def test_closed_and_cancelled_activities_are_refused(users: Any, team: Any) -> None:
    yesterday = timezone.localdate() - timedelta(days=1)
    ended = make_activity(
        team, users.cadre, start=timezone.make_aware(datetime.combine(yesterday, time(9, 0)))
    )
    services.activity_close(activity=ended, actor=users.cadre)
    cancelled = make_activity(team, users.cadre, title="已取消的活动")
    services.activity_cancel(activity=cancelled, actor=users.cadre)
    client = Client()
    client.force_login(users.cadre)
    for found in (ended, cancelled):
        with pytest.raises(ValidationError, match="不能修改"):
            services.activity_update(activity=found, actor=users.cadre, changes={"title": "新"})
        answer = client.patch(
            f"/api/v1/participation/volunteers/manage/activities/{found.pk}",
            {"title": "新"},
            content_type="application/json",
        )
        assert answer.status_code == 422, answer.content
        page = client.get(f"/volunteers/manage/activities/{found.pk}/edit/")
        assert page.status_code == 302
        found.refresh_from_db()
        assert found.title != "新"
    assert ended.status == ActivityStatus.CLOSED
