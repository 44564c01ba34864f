"""A work order dated in year 418 (or in the future) is refused with 422, not filed with a
local-mean-time offset that no client could parse back (found by the intake fuzz)."""

from typing import Any

import pytest

from civicgrid.cases.models import Case
from civicgrid.integrations.tests.test_hotline_idempotent import ORDER, post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "field,value",
    [
        ("received_at", "0418-06-18T00:09:38+08:00"),
        ("received_at", "2999-01-01T00:00:00+08:00"),
        ("deadline", "1900-01-01T00:00:00+08:00"),
    ],
)
def test_implausible_dates_are_refused(hotline_key: Any, field: str, value: str) -> None:
    response = post(hotline_key, {**ORDER, field: value})
    assert response.status_code == 422
    assert not Case.objects.exists()
