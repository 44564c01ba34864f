"""A key sees what its service identity's jurisdiction allows: a case elsewhere is invisible."""

from typing import Any

import pytest
from django.test import Client

from civicgrid.cases.choices import Channel
from civicgrid.testing.cases import IN_A1_WEST, IN_B1, report_case

pytestmark = pytest.mark.django_db


def test_case_outside_the_key_jurisdiction_is_invisible(users: Any, hotline_key: Any) -> None:
    mine = report_case(users.worker, point=IN_A1_WEST, description="甲街道的事件")
    theirs = report_case(
        users.outsider, point=IN_B1, description="乙街道的事件", channel=Channel.GRID_WORKER
    )
    client = Client()
    listed = client.get("/api/v1/cases/", **hotline_key.headers).json()
    numbers = {row["number"] for row in listed["items"]}
    assert mine.number in numbers and theirs.number not in numbers
    assert client.get(f"/api/v1/cases/{theirs.pk}", **hotline_key.headers).status_code == 404
    assert client.get(f"/api/v1/cases/{mine.pk}", **hotline_key.headers).status_code == 200
