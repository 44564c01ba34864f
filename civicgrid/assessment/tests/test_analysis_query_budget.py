"""Each analysis page costs a fixed, small number of queries however many cases, visits and
facts the jurisdiction holds (grouped in the database, no per-row queries)."""

from datetime import timedelta

from django.utils import timezone

from civicgrid.assessment.measures import local_tz
from civicgrid.assessment.rollup import rollup
from civicgrid.assessment.tests.history import at, event, new_case
from civicgrid.cases.choices import Action
from civicgrid.fieldwork.choices import VisitPurpose
from civicgrid.fieldwork.models import Visit
from civicgrid.registry.tests.factories import make_building, make_dwelling, make_household
from civicgrid.testing.cases import IN_A1_EAST, IN_A1_WEST, case_category
from civicgrid.testing.queries import count_queries

PAGES = ["", "hotspots/", "recurring/", "seasonality/", "departments/", "falling/"]
BUDGET = 12  # session, user, menu and page furniture included


def grow(city, users, n):
    now = timezone.now().astimezone(local_tz())
    building = make_building(city.grids["a1_west"])
    other = case_category("0101")
    for i in range(n):
        for key, point in (("a1_west", IN_A1_WEST), ("a1_east", IN_A1_EAST)):
            grid = city.grids[key]
            day = (now - timedelta(days=7 * i + 1)).date()
            case = new_case(
                grid.code,
                grid=grid,
                when=at(day),
                lat=point[0] + 0.0001 * (i % 3),
                lng=point[1],
                category=other if i % 2 else None,
            )
            event(case, Action.DISPATCH, at(day, 11), to_department=users.dept)
            event(case, Action.FEEDBACK, at(day, 12), actor=users.department)
        household = make_household(make_dwelling(building))
        Visit.objects.create(
            worker=users.worker,
            grid=household.grid,
            grid_code=household.grid_code,
            household=household,
            visited_at=now - timedelta(days=i),
            purpose=VisitPurpose.ROUTINE,
            findings="走访",
        )
    rollup((now - timedelta(days=7 * n + 2)).date(), now.date())


def costs(client):
    return {page: count_queries(client, f"/assessment/analysis/{page}") for page in PAGES}


def test_query_count_does_not_grow_with_rows(client, city, users):
    client.force_login(users.command)
    grow(city, users, 6)
    small = costs(client)
    grow(city, users, 12)
    large = costs(client)
    assert small == large
    assert max(large.values()) <= BUDGET, large
