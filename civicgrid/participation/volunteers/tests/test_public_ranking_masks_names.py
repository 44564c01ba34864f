"""The public hours ranking (portal section and API) shows names masked like 张*华; staff
see the full names; nothing of the phone or the ledger reaches the public."""

from datetime import datetime, time
from decimal import Decimal
from typing import Any

from django.test import Client
from django.utils import timezone

from civicgrid.participation.volunteers.models import Signup
from civicgrid.participation.volunteers.presenters import mask_volunteer_name
from civicgrid.participation.volunteers.testing import make_activity, make_volunteer


def test_mask_keeps_first_and_last() -> None:
    assert mask_volunteer_name("张三华") == "张*华"
    assert mask_volunteer_name("李四") == "李*"
    assert mask_volunteer_name("欧阳小明") == "欧**明"


def test_portal_and_api_mask_names(city: Any, users: Any, team: Any) -> None:
    past = timezone.make_aware(datetime.combine(timezone.localdate().replace(day=1), time(9, 0)))
    done = make_activity(team, users.cadre, start=past, title="已结束的清扫")
    done.status = "closed"
    done.save()
    volunteer = make_volunteer(city.comm_a1, "张三华", phone="13812345678")
    Signup.objects.create(
        activity=done, volunteer=volunteer, checked_in_at=past, hours=Decimal("2")
    )
    upcoming = make_activity(team, users.cadre, title="周末义诊", places=3)
    Signup.objects.create(activity=upcoming, volunteer=volunteer)

    page = Client().get(f"/community/{city.comm_a1.code}/").content.decode()
    assert "张*华" in page and "张三华" not in page and "5678" not in page
    assert "周末义诊" in page and "剩余 2 / 3 个名额" in page

    api = (
        Client()
        .get(f"/api/v1/participation/volunteers/communities/{city.comm_a1.code}/ranking")
        .json()
    )
    assert api["volunteers"] == [{"name": "张*华", "hours": "2"}]
    assert api["teams"] == [{"name": team.name, "hours": "2"}]

    staff = Client()
    staff.force_login(users.secretary)
    assert "张三华" in staff.get("/volunteers/manage/").content.decode()
