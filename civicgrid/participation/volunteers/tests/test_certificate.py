"""The yearly certificate lists the resident's own credited activities and hours; staff print
one for a volunteer of their jurisdiction; a year out of range is 404."""

from datetime import datetime, time
from decimal import Decimal
from typing import Any

from django.test import Client
from django.utils import timezone

from civicgrid.accounts.choices import Role
from civicgrid.participation.volunteers.models import Signup
from civicgrid.participation.volunteers.testing import make_activity, make_volunteer
from civicgrid.testing.users import make_user


def test_certificate_own_and_staff(city: Any, users: Any, team: Any) -> None:
    start = timezone.make_aware(datetime.combine(timezone.localdate().replace(day=1), time(9)))
    done = make_activity(team, users.cadre, start=start, title="敬老院慰问")
    done.status = "closed"
    done.save()
    volunteer = make_volunteer(city.comm_a1, "吴居民", user=users.resident)
    Signup.objects.create(
        activity=done, volunteer=volunteer, checked_in_at=start, hours=Decimal("2.5")
    )
    year = timezone.localdate().year

    mine = Client()
    mine.force_login(users.resident)
    page = mine.get(f"/volunteers/certificate/{year}/").content.decode()
    assert "志愿服务时长证明" in page and "吴居民" in page and "2.5" in page
    assert "敬老院慰问" in page and "(盖章)" in page
    assert mine.get("/volunteers/certificate/1999/").status_code == 404

    other = Client()
    other.force_login(make_user("r_other", Role.RESIDENT))
    assert "吴居民" not in other.get(f"/volunteers/certificate/{year}/").content.decode()

    staff = Client()
    staff.force_login(users.secretary)
    url = f"/volunteers/manage/volunteers/{volunteer.pk}/certificate/{year}/"
    assert "敬老院慰问" in staff.get(url).content.decode()
