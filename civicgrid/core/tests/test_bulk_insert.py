"""``core.bulk``: reserved ids are fresh and the rows written under them are the ones read
back; a later ordinary save takes the next id (on PostgreSQL the sequence moved)."""

import pytest
from django.db import connection, transaction
from django.utils import timezone

from civicgrid.core.bulk import insert_rows, reserve_ids
from civicgrid.geo.models import Region

pytestmark = pytest.mark.django_db(transaction=True)
COLUMNS = ["id", "code", "name", "short_name", "level", "parent_id", "updated_at"]


def test_rows_land_under_reserved_ids_and_later_saves_follow() -> None:
    Region.objects.create(code="52", name="贵州省", short_name="贵州", level="province")
    now = timezone.now()
    with transaction.atomic():
        ids = reserve_ids(Region._meta.db_table, "id", 2)
        written = insert_rows(
            Region._meta.db_table,
            COLUMNS,
            [
                [ids[0], "5201", "贵阳市", "贵阳", "city", None, now],
                [ids[1], "5202", "六盘水市", "六盘水", "city", None, now],
            ],
        )
    assert written == 2
    assert dict(Region.objects.filter(pk__in=ids).values_list("pk", "code")) == {
        ids[0]: "5201",
        ids[1]: "5202",
    }
    later = Region.objects.create(code="5203", name="遵义市", short_name="遵义", level="city")
    assert later.pk > ids[1]


def test_ids_never_reuse_those_of_removed_rows() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL sequences never go back")
    region = Region.objects.create(code="52", name="贵州省", short_name="贵州", level="province")
    Region.objects.filter(pk=region.pk).delete()  # a test cleaning up, not the product
    with transaction.atomic():
        assert reserve_ids(Region._meta.db_table, "id", 1) == [region.pk + 1]
