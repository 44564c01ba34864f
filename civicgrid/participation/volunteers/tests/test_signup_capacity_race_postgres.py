"""Two residents signing up for the last place at the same instant, on PostgreSQL with real
separate connections: exactly ``places`` sign-ups are accepted, the other hears 名额已满."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from civicgrid.accounts.choices import Role
from civicgrid.participation.volunteers import services
from civicgrid.participation.volunteers.choices import SignupStatus
from civicgrid.participation.volunteers.models import Signup
from civicgrid.participation.volunteers.testing import make_activity, make_team, make_volunteer
from civicgrid.testing.race import run_together
from civicgrid.testing.users import make_user

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


@pytest.mark.parametrize("places", [1, 2])
def test_simultaneous_signups_accept_exactly_the_places(city: Any, users: Any, places: int) -> None:
    activity = make_activity(make_team(city.comm_a1), users.cadre, places=places)
    residents = [make_user(f"vol{i}", Role.RESIDENT) for i in range(places + 1)]
    volunteers = [
        make_volunteer(city.comm_a1, f"志愿者{i}", user=r) for i, r in enumerate(residents)
    ]

    def job(v: Any, r: Any) -> Callable[[], Any]:
        return lambda: services.signup(activity=activity, volunteer=v, actor=r)

    results = run_together(*(job(v, r) for v, r in zip(volunteers, residents, strict=True)))

    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1
    assert isinstance(refused[0], ValidationError)
    assert "名额已满" in str(refused[0])
    assert Signup.objects.filter(activity=activity, status=SignupStatus.SIGNED).count() == places
