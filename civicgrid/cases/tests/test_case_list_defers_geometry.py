"""A case list row names its grid but never loads the grid's polygon (kilobytes of GeoJSON per
row at city scale): the command-centre list, the API list and the work queues defer it."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civicgrid.testing.cases import report_case
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/cases/list/", "/api/v1/cases/", "/cases/work/?q=to_accept"])
def test_case_lists_skip_grid_geometry(client: Any, users: RoleUsers, url: str) -> None:
    report_case(users.worker)
    client.force_login(users.command)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    assert not any('"geometry"' in q["sql"] for q in ctx.captured_queries)
