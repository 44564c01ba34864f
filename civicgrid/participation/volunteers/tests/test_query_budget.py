"""The volunteer lists cost the same number of queries however many teams, volunteers,
activities and sign-ups they show (docs/architecture.md rule 6)."""

from typing import Any

from django.test import Client

from civicgrid.participation.volunteers.models import Signup
from civicgrid.participation.volunteers.testing import make_activity, make_team, make_volunteer
from civicgrid.testing.queries import count_queries


def _more(city: Any, users: Any, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        team = make_team(city.comm_a1, f"队伍{i}")
        activity = make_activity(team, users.cadre, title=f"活动{i}")
        for j in range(2):
            volunteer = make_volunteer(city.comm_a1, f"志愿者{i}{j}")
            volunteer.teams.add(team)
            Signup.objects.create(activity=activity, volunteer=volunteer)


def test_lists_keep_their_query_count(city: Any, users: Any) -> None:
    _more(city, users, 1)
    staff, resident = Client(), Client()
    staff.force_login(users.secretary)
    resident.force_login(users.resident)
    code = city.comm_a1.code
    urls = [
        (Client(), f"/community/{code}/"),
        (Client(), f"/api/v1/participation/volunteers/communities/{code}/activities"),
        (staff, "/volunteers/manage/"),
        (staff, "/volunteers/manage/volunteers/"),
        (staff, "/api/v1/participation/volunteers/manage/teams"),
        (staff, "/api/v1/participation/volunteers/manage/activities"),
        (resident, f"/volunteers/?community={code}"),
    ]
    before = [count_queries(client, url) for client, url in urls]
    _more(city, users, 3, start=1)
    after = [count_queries(client, url) for client, url in urls]
    assert after == before
