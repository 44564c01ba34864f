"""The 入户走访 page costs the same number of queries however many people are due and however
many visits were made (docs/architecture.md rule 6)."""

from typing import Any

import pytest

from civicgrid.fieldwork.tests.visit_page_helpers import due_person, make_visit
from civicgrid.testing.queries import count_queries


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["worker", "secretary"])
def test_visit_list_does_not_grow_with_rows(client: Any, users: Any, city: Any, role: str) -> None:
    grid = city.grids["a1_west"]
    client.force_login(getattr(users, role))

    def add(n: int, start: int) -> None:
        for i in range(n):
            person = due_person(grid, f"居民{start + i}", tagged_days_ago=20 + i)
            make_visit(users.worker, person, days_ago=1 + i % 5)

    add(2, 0)
    few = count_queries(client, "/fieldwork/visits/")
    add(12, 10)
    assert count_queries(client, "/fieldwork/visits/") == few
