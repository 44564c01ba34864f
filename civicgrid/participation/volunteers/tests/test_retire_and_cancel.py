"""Nothing is deleted: a volunteer leaves with a date (their hours stay), a new phone replaces
the stored one only when given; a cancelled activity keeps its sign-ups, leaves the portal and
takes no more sign-ups."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from civicgrid.participation.volunteers import services
from civicgrid.participation.volunteers.choices import ActivityStatus
from civicgrid.participation.volunteers.testing import make_volunteer


def test_volunteer_edit_keeps_the_phone_and_retires_with_a_date(
    city: Any, users: Any, team: Any
) -> None:
    volunteer = make_volunteer(city.comm_a1, "张三华", phone="13812345678")
    client = Client()
    client.force_login(users.cadre)
    url = f"/volunteers/manage/volunteers/{volunteer.pk}/"
    page = client.get(url).content.decode()
    assert "138****5678" in page and "13812345678" not in page
    client.post(url, {"name": "张三华", "phone": "", "skills": "电工", "teams": [team.pk]})
    volunteer.refresh_from_db()
    assert volunteer.phone == "13812345678" and volunteer.skills == "电工"
    assert list(volunteer.teams.all()) == [team]
    client.post(url, {"name": "张三华", "phone": "13900001111", "retire": "on"})
    volunteer.refresh_from_db()
    assert volunteer.phone == "13900001111" and volunteer.retired_on is not None
    assert "张三华" not in client.get("/volunteers/manage/volunteers/").content.decode()


def test_cancelled_activity_keeps_signups_and_leaves_the_portal(
    city: Any, users: Any, activity: Any
) -> None:
    volunteer = make_volunteer(city.comm_a1)
    services.signup(activity=activity, volunteer=volunteer, actor=users.cadre)
    client = Client()
    client.force_login(users.secretary)
    client.post(f"/volunteers/manage/activities/{activity.pk}/cancel/")
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.CANCELLED
    assert activity.signups.count() == 1
    assert activity.title not in Client().get(f"/community/{city.comm_a1.code}/").content.decode()
    with pytest.raises(ValidationError, match="不能报名"):
        services.signup(
            activity=activity, volunteer=make_volunteer(city.comm_a1, "乙"), actor=users.cadre
        )


def test_a_team_stays_in_its_community(city: Any, users: Any, team: Any) -> None:
    with pytest.raises(ValidationError, match="不能修改"):
        services.team_save(
            actor=users.command,
            community_code=city.comm_a2.code,
            name=team.name,
            kind=team.kind,
            team=team,
        )
