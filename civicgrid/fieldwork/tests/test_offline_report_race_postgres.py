"""Two copies of the same outbox report arriving at the same instant (the phone resent while the
first answer was still on its way), on PostgreSQL with real separate connections: the second
waits on the key's unique index, then reads the first answer; one case exists."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client

from civicgrid.cases.models import Case
from civicgrid.core.models import IdempotentRequest
from civicgrid.testing.cases import case_category
from civicgrid.testing.race import run_together
from civicgrid.testing.users import RoleUsers

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL unique waits"),
]


def test_two_identical_reports_at_once_make_one_case(city: Any, users: RoleUsers) -> None:
    data = {
        "category": str(case_category().pk),
        "description": "地下车库积水",
        "client_key": "same-key-from-the-outbox",
        "lat": "26.505",
        "lng": "106.705",
    }

    def send() -> tuple[int, Any]:
        client = Client()
        client.force_login(users.worker)
        response = client.post("/api/v1/fieldwork/reports", data)
        return response.status_code, response.json()

    results = run_together(send, send)
    assert not any(isinstance(r, Exception) for r in results), results
    assert sorted(status for status, _ in results) == [200, 201]
    assert results[0][1] == results[1][1]
    assert Case.objects.count() == 1
    assert IdempotentRequest.objects.count() == 1
