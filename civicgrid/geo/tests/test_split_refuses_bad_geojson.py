"""A cutter that is not a clean line or a closed polygon is refused with a Chinese reason, by the
API (422 JSON) and by the grid page (400 form error), and nothing is split. Before, an unclosed
ring was closed silently and cut out a shape nobody drew, and a FeatureCollection or a one-point
line answered with shapely's English message."""

import json
import re
from typing import Any

import pytest

from civicgrid.geo.models import Grid
from civicgrid.geo.services import GridAdjustmentError, grid_split
from civicgrid.testing.city import ORIGIN_LAT, ORIGIN_LNG, STEP, TestCity
from civicgrid.testing.users import RoleUsers

W, S = ORIGIN_LNG, ORIGIN_LAT  # south-west corner of grid a1_west (STEP × STEP)
MID = W + STEP / 2

BAD_CUTTERS: dict[str, tuple[dict[str, Any], str]] = {
    "one_point_line": (
        {"type": "LineString", "coordinates": [[MID, S + STEP / 2]]},
        "两个不同的点",
    ),
    "repeated_point_line": (
        {"type": "LineString", "coordinates": [[MID, S], [MID, S]]},
        "两个不同的点",
    ),
    # Crosses the grid, comes back across itself: a bow-tie.
    "bow_tie_line": (
        {
            "type": "LineString",
            "coordinates": [
                [W - STEP, S - STEP],
                [W + 2 * STEP, S + 2 * STEP],
                [W + 2 * STEP, S - STEP],
                [W - STEP, S + 2 * STEP],
            ],
        },
        "自相交",
    ),
    "bow_tie_polygon": (
        {
            "type": "Polygon",
            "coordinates": [[[W, S], [W + STEP, S + STEP], [W + STEP, S], [W, S + STEP], [W, S]]],
        },
        "无效",
    ),
    "feature_collection": (
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": {"type": "LineString", "coordinates": [[MID, S - 1], [MID, S + 1]]},
                }
            ],
        },
        "FeatureCollection",
    ),
    "point": ({"type": "Point", "coordinates": [MID, S]}, "LineString"),
    "unclosed_ring": (
        {
            "type": "Polygon",
            "coordinates": [[[W, S], [MID, S], [MID, S + STEP], [W, S + STEP]]],
        },
        "闭合",
    ),
    "latitude_out_of_range": (
        {"type": "LineString", "coordinates": [[MID, S - 1], [MID, 95.0]]},
        "超出范围",
    ),
    "longitude_out_of_range": (
        {"type": "LineString", "coordinates": [[200.0, S], [MID, S + 1]]},
        "超出范围",
    ),
    "text_coordinates": ({"type": "LineString", "coordinates": "106.7,26.5"}, "坐标"),
    "position_of_three_words": (
        {"type": "LineString", "coordinates": [["a", "b"], [MID, S]]},
        "经度, 纬度",
    ),
    "no_coordinates": ({"type": "LineString"}, "坐标"),
}
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.django_db
@pytest.mark.parametrize("case", sorted(BAD_CUTTERS))
def test_api_refuses_bad_cutter_with_a_chinese_422(
    client: Any, city: TestCity, users: RoleUsers, case: str
) -> None:
    cutter, reason = BAD_CUTTERS[case]
    grid = city.grids["a1_west"]
    client.force_login(users.command)
    response = client.post(
        f"/api/v1/geo/grids/{grid.pk}/split", {"cutter": cutter}, content_type="application/json"
    )
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert isinstance(detail, str) and CJK.search(detail) and reason in detail
    grid.refresh_from_db()
    assert grid.is_current


@pytest.mark.django_db
@pytest.mark.parametrize(
    "case", ["one_point_line", "bow_tie_line", "feature_collection", "unclosed_ring"]
)
def test_grid_page_refuses_bad_cutter_with_the_reason_on_the_form(
    client: Any, city: TestCity, users: RoleUsers, case: str
) -> None:
    cutter, reason = BAD_CUTTERS[case]
    grid = city.grids["a1_west"]
    client.force_login(users.command)
    response = client.post(f"/geo/grids/{grid.pk}/split/", {"cutter": json.dumps(cutter)})
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert Grid.objects.get(pk=grid.pk).is_current


@pytest.mark.django_db
def test_grid_page_refuses_text_that_is_not_json_in_chinese(
    client: Any, city: TestCity, users: RoleUsers
) -> None:
    grid = city.grids["a1_west"]
    client.force_login(users.command)
    for text in ("{not json", "[" * 50_000):
        response = client.post(f"/geo/grids/{grid.pk}/split/", {"cutter": text})
        assert response.status_code == 400
        assert "无法解析" in response.content.decode()


@pytest.mark.django_db
def test_an_unclosed_ring_is_never_a_cutter(city: TestCity, users: RoleUsers) -> None:
    # shapely closes a ring by itself; the service must not accept what GeoJSON calls invalid.
    cutter, _ = BAD_CUTTERS["unclosed_ring"]
    with pytest.raises(GridAdjustmentError, match="闭合"):
        grid_split(grid=city.grids["a1_west"], cutter=cutter, actor=users.command)
    closed = {"type": "Polygon", "coordinates": [cutter["coordinates"][0] + [[W, S]]]}
    # The same ring closed (the western half of the grid) is a cutter and splits it in two.
    assert len(grid_split(grid=city.grids["a1_west"], cutter=closed, actor=users.command)) == 2
