"""The initials search reads one index range (not ``LIKE 'zs%'``, which SQLite cannot
range-scan) and still means "starts with"; results stay inside the jurisdiction and come in
ledger order."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civicgrid.registry.selectors import search
from civicgrid.registry.tests.factories import make_person
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db


def test_initials_search_is_a_range_with_the_same_answer(city: TestCity, users: RoleUsers) -> None:
    west, east, b1 = city.grids["a1_west"], city.grids["a1_east"], city.grids["b1"]
    make_person(west, name="张三")  # zs
    make_person(east, name="张山")  # zs
    make_person(west, name="周顺平")  # zsp
    make_person(west, name="赵四")  # zs
    make_person(west, name="李四")  # ls
    make_person(b1, name="张顺")  # zs, other street
    with CaptureQueriesContext(connection) as ctx:
        found = search(users.secretary, "ZS")
    assert found.kind == "initials"
    names = [p.name for p in found.people]
    assert sorted(names) == sorted(["张三", "张山", "周顺平", "赵四"])
    assert [p.grid_code for p in found.people] == sorted(p.grid_code for p in found.people)
    sql = " ".join(q["sql"] for q in ctx.captured_queries if "name_initials" in q["sql"])
    assert '"name_initials" >= ' in sql and '"name_initials" < ' in sql
