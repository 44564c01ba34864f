"""Past the count cap the person list says "共 N+ 条" and pages by cursor; the API keeps its
shape and a garbled cursor gives the first page, never an error (core.pagination)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civicgrid.registry.tests.factories import make_person
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(city: TestCity, settings: Any) -> None:
    settings.PAGE_COUNT_CAP = 4
    for i in range(9):
        make_person(city.grids["a1_west" if i % 2 else "a1_east"], name=f"居民{i:02d}")
    make_person(city.grids["b1"], name="乙街道居民")


def test_pager_says_more_and_links_by_cursor(client: Any, users: RoleUsers, people: None) -> None:
    client.force_login(users.secretary)
    body = client.get("/registry/people/?size=2&page=2").content.decode()
    assert "共 4+ 条" in body
    assert "after=" in body and "last=1" in body
    last = client.get("/registry/people/?size=2&last=1").content.decode()
    assert "居民08" in last and "before=" in last
    assert "乙街道居民" not in last


@pytest.mark.parametrize("cursor", ["after=%ff%fe", "before=abc:def", "after=" + "x" * 500])
def test_api_garbled_cursor_is_the_first_page(
    client: Any, users: RoleUsers, people: None, cursor: str
) -> None:
    client.force_login(users.secretary)
    first = client.get("/api/v1/registry/persons?size=2").json()
    response = client.get(f"/api/v1/registry/persons?size=2&{cursor}")
    assert response.status_code == 200
    assert response.json()["items"] == first["items"]
    assert set(first) >= {"count", "page", "pages", "items"}
    assert first["count"] == 4 and first["page"] == 1


def test_list_rows_do_not_carry_grid_polygons(client: Any, users: RoleUsers, people: None) -> None:
    client.force_login(users.secretary)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/registry/people/").status_code == 200
    assert not any('"geometry"' in q["sql"] for q in ctx.captured_queries)
