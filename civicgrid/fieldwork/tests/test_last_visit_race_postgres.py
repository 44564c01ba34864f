"""Two first visits to the same household stored at the same instant (two workers, or a phone
flushing its outbox while another records), on PostgreSQL with real separate connections: the
household's and the person's kept last visit is the later of the two, whichever commits first."""

import time
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from civicgrid.fieldwork import visits
from civicgrid.fieldwork.models import LastHouseholdVisit, LastPersonVisit
from civicgrid.fieldwork.tests.visit_helpers import care_kind, tagged_person
from civicgrid.testing.race import run_together
from civicgrid.testing.users import RoleUsers

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL unique waits"),
]


def test_two_first_visits_at_once_keep_the_later(
    city: Any, users: RoleUsers, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = tagged_person(city.grids["a1_west"], care_kind())
    later = timezone.now() - timedelta(hours=1)
    earlier = later - timedelta(days=2)

    def slow_commit(visit: Any, photos: Any) -> None:
        # The earlier visit's transaction stays open after its rows are written, so the later
        # one finds no row to update and its insert waits on the earlier's uncommitted one.
        if visit.visited_at == earlier:
            time.sleep(0.6)

    monkeypatch.setattr(visits, "store_visit_photos", slow_commit)

    def visit(at: Any, after: float) -> Any:
        time.sleep(after)
        return visits.visit_record(
            actor=users.worker, person=person, purpose="care", findings="见面", visited_at=at
        )

    results = run_together(lambda: visit(earlier, 0), lambda: visit(later, 0.3))
    assert all(isinstance(r, tuple) and r[1] for r in results), results
    assert LastPersonVisit.objects.get(pk=person.pk).visited_at == later
    assert LastHouseholdVisit.objects.get(pk=person.household_id).visited_at == later
