"""The big tables get their autovacuum settings on PostgreSQL (docs/scaling.md)."""

from __future__ import annotations

import pytest
from django.db import connection

from civicgrid.core.tuning import BIG_TABLE_STORAGE


@pytest.mark.django_db
@pytest.mark.parametrize(
    "table", ["registry_person", "registry_historicalperson", "cases_caseevent"]
)
def test_big_tables_are_vacuumed_after_a_hundredth_changes(table: str) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("storage parameters are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [table])
        options = dict(o.split("=", 1) for o in cursor.fetchone()[0] or [])
    assert options == BIG_TABLE_STORAGE
