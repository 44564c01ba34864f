"""Split and merge through the grid page and the API: who may, and what they see."""

import json
from typing import Any

import pytest
from shapely.geometry import LineString, mapping

from civicgrid.core.models import AuditEntry
from civicgrid.geo.models import Grid
from civicgrid.testing.city import ORIGIN_LAT, ORIGIN_LNG, STEP, TestCity
from civicgrid.testing.users import RoleUsers

MIDLINE = dict(
    mapping(
        LineString(
            [
                (ORIGIN_LNG + STEP / 2, ORIGIN_LAT - STEP),
                (ORIGIN_LNG + STEP / 2, ORIGIN_LAT + 2 * STEP),
            ]
        )
    )
)


@pytest.mark.django_db
def test_command_centre_sees_split_and_merge_forms(
    client: Any, city: TestCity, users: RoleUsers
) -> None:
    client.force_login(users.command)
    body = client.get(f"/geo/grids/{city.grids['a1_west'].pk}/").content.decode()
    assert "拆分网格" in body and "合并网格" in body
    assert city.grids["a1_east"].code in body  # offered as the adjacent grid


@pytest.mark.django_db
def test_cadre_sees_no_adjustment_forms_and_gets_403(
    client: Any, city: TestCity, users: RoleUsers
) -> None:
    client.force_login(users.cadre)
    pk = city.grids["a1_west"].pk
    assert "拆分网格" not in client.get(f"/geo/grids/{pk}/").content.decode()
    assert (
        client.post(f"/geo/grids/{pk}/split/", {"cutter": json.dumps(MIDLINE)}).status_code == 403
    )


@pytest.mark.django_db
def test_split_form_creates_grids_and_shows_the_lineage(
    client: Any, city: TestCity, users: RoleUsers
) -> None:
    client.force_login(users.command)
    old = city.grids["a1_west"]
    response = client.post(
        f"/geo/grids/{old.pk}/split/", {"cutter": json.dumps(MIDLINE)}, follow=True
    )
    body = response.content.decode()
    assert "网格已拆分为" in body
    assert "前身网格" in body and old.code in body
    assert Grid.objects.current().filter(code__startswith=city.comm_a1.code).count() == 3


@pytest.mark.django_db
def test_split_and_merge_record_where_the_request_came_from(
    client: Any, city: TestCity, users: RoleUsers
) -> None:
    client.force_login(users.command)
    old = city.grids["a1_west"]
    client.post(f"/geo/grids/{old.pk}/split/", {"cutter": json.dumps(MIDLINE)})
    west, east = Grid.objects.current().filter(predecessors=old)
    client.post(
        "/api/v1/geo/grids/merge",
        {"grid_ids": [west.pk, east.pk]},
        content_type="application/json",
    )
    entries = AuditEntry.objects.filter(action__in=["grid_split", "grid_merge"])
    assert sorted((e.action, e.ip) for e in entries) == [
        ("grid_merge", "127.0.0.1"),
        ("grid_merge", "127.0.0.1"),
        ("grid_split", "127.0.0.1"),
    ]


@pytest.mark.django_db
def test_a_cutter_that_misses_is_shown_in_chinese_and_changes_nothing(
    client: Any, city: TestCity, users: RoleUsers
) -> None:
    client.force_login(users.command)
    far = {"type": "LineString", "coordinates": [[100, 20], [100.1, 20.1]]}
    response = client.post(
        f"/geo/grids/{city.grids['a1_west'].pk}/split/", {"cutter": json.dumps(far)}
    )
    assert response.status_code == 400
    assert "完整穿过网格" in response.content.decode()
    assert Grid.objects.current().count() == 4


@pytest.mark.django_db
def test_merge_form_merges_the_chosen_neighbour(
    client: Any, city: TestCity, users: RoleUsers
) -> None:
    client.force_login(users.command)
    west, east = city.grids["a1_west"], city.grids["a1_east"]
    client.post(f"/geo/grids/{west.pk}/merge/", {"others": [east.pk], "name": "甲一大网格"})
    merged = Grid.objects.get(name="甲一大网格")
    assert set(merged.predecessors.values_list("code", flat=True)) == {west.code, east.code}


@pytest.mark.django_db
def test_api_split_returns_the_new_grids(client: Any, city: TestCity, users: RoleUsers) -> None:
    client.force_login(users.command)
    response = client.post(
        f"/api/v1/geo/grids/{city.grids['a1_west'].pk}/split",
        {"cutter": MIDLINE, "on": "2026-03-01"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert sorted(g["code"] for g in response.json()) == ["520102001001003", "520102001001004"]


@pytest.mark.django_db
def test_api_merge_refuses_grids_of_two_communities(
    client: Any, city: TestCity, users: RoleUsers
) -> None:
    client.force_login(users.command)
    ids = [city.grids["a1_east"].pk, city.grids["a2"].pk]
    response = client.post(
        "/api/v1/geo/grids/merge", {"grid_ids": ids}, content_type="application/json"
    )
    assert response.status_code == 422
    assert "同一社区" in response.json()["detail"]


@pytest.mark.django_db
def test_outsider_gets_404_from_the_adjustment_endpoints(
    client: Any, city: TestCity, users: RoleUsers
) -> None:
    # The command centre of the other street may adjust grids, but not this street's.
    from civicgrid.accounts.choices import Role
    from civicgrid.testing.users import make_user

    client.force_login(make_user("command-b", Role.COMMAND, city.street_b.code))
    pk = city.grids["a1_west"].pk
    assert client.post(f"/geo/grids/{pk}/split/", {"cutter": "{}"}).status_code == 404
    api = client.post(
        f"/api/v1/geo/grids/{pk}/split", {"cutter": MIDLINE}, content_type="application/json"
    )
    assert api.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("area", "shown"), [(7_047_165.3, "7.05 平方公里"), (825_431.6, "825,432 平方米")]
)
def test_grid_page_shows_a_readable_area(
    client: Any, city: TestCity, users: RoleUsers, area: float, shown: str
) -> None:
    grid = city.grids["a1_west"]
    Grid.objects.filter(pk=grid.pk).update(area_m2=area)
    client.force_login(users.command)
    assert shown in client.get(f"/geo/grids/{grid.pk}/").content.decode()
