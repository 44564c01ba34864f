"""``build_city`` gives the same rows for the same seed, sizes and clock (a load test that
cannot be repeated cannot be compared), and other rows for another seed."""

from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import transaction

from civicgrid.cases.models import Case, CaseEvent
from civicgrid.dashboard.city_scale import build_city
from civicgrid.geo.models import Grid
from civicgrid.registry.models import Building, Household, Person

NOW = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)


class _Rollback(Exception):
    pass


def snapshot(seed: int) -> dict[str, list[Any]]:
    """The generated rows (ciphertexts aside: the cipher draws a fresh nonce per value), then
    the database as it was."""
    out: dict[str, list[Any]] = {}
    try:
        with transaction.atomic():
            build_city(people=300, cases=200, grids=20, seed=seed, now=NOW)
            out["grids"] = list(Grid.objects.order_by("code").values_list("code", "geometry"))
            out["buildings"] = list(
                Building.objects.order_by("pk").values_list("grid_code", "address", "lat", "lng")
            )
            out["households"] = list(
                Household.objects.order_by("pk").values_list("grid_code", "number", "head__name")
            )
            out["people"] = list(
                Person.objects.order_by("pk").values_list(
                    "grid_code", "name", "name_initials", "id_number", "id_number_index",
                    "birth_date", "sex", "phone", "relation", "political_status",
                    "household__number",
                )
            )  # fmt: skip
            out["cases"] = list(
                Case.objects.order_by("pk").values_list(
                    "number", "grid_code", "category__code", "status", "stage", "reported_at",
                    "closed_at", "stage_due_at",
                )
            )  # fmt: skip
            out["events"] = list(
                CaseEvent.objects.order_by("case__number", "at", "pk").values_list(
                    "case__number", "at", "action", "to_status", "deadline", "on_time"
                )
            )
            raise _Rollback
    except _Rollback:
        pass
    return out


@pytest.mark.django_db
def test_same_seed_same_rows_other_seed_other_rows() -> None:
    first, again, other = snapshot(7), snapshot(7), snapshot(8)
    assert len(first["people"]) == 300 and len(first["cases"]) == 200
    assert first == again
    assert first["people"] != other["people"]
    assert first["cases"] != other["cases"]
