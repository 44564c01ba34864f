"""Jurisdiction filters are index ranges (``code >= p AND code < next_prefix(p)``) that mean
exactly "starts with" (core.scoping)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civicgrid.core.scoping import covering_prefixes, next_prefix, prefix_q, starts_with_q
from civicgrid.geo.models import Grid
from civicgrid.testing.city import TestCity

digits = st.text(alphabet="0123456789", max_size=8)


@given(code=digits, prefix=digits.filter(bool))
def test_range_is_starts_with(code: str, prefix: str) -> None:
    upper = next_prefix(prefix)
    in_range = prefix <= code and (upper is None or code < upper)
    assert in_range == code.startswith(prefix)


def test_next_prefix_carries_nines() -> None:
    assert next_prefix("5201") == "5202"
    assert next_prefix("5209") == "521"
    assert next_prefix("999") is None


def test_covering_prefixes_drop_what_is_covered() -> None:
    assert covering_prefixes(["520102001", "5201", "5202"]) == ["5201", "5202"]


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["5201", "520102001", "520102001001", "52010200100", "9", "0"])
def test_database_range_equals_like(city: TestCity, prefix: str) -> None:
    ranged = set(Grid.objects.filter(starts_with_q("code", prefix)).values_list("pk", flat=True))
    liked = set(Grid.objects.filter(code__startswith=prefix).values_list("pk", flat=True))
    assert ranged == liked


@pytest.mark.django_db
def test_filter_sql_is_a_range(city: TestCity) -> None:
    sql = str(Grid.objects.filter(prefix_q("code", ["5201"])).query)
    assert "LIKE" not in sql.upper()
    assert ">=" in sql and "<" in sql
