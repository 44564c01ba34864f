"""Split and merge refuse what they cannot store or should not read: bodies over the endpoint's
own limit (413 before parsing, whatever the site-wide upload limit), names longer than a grid
name, a date before the grid began, ids no grid can have. Each answer is a 4xx with a Chinese
message, never a server error."""

import json
from datetime import date
from typing import Any

import pytest

from civicgrid.geo.api import MERGE_MAX_BYTES, SPLIT_MAX_BYTES
from civicgrid.geo.tests.test_adjustment_views import MIDLINE
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers


def _padded(payload: dict[str, Any], size: int) -> str:
    """Valid JSON of about ``size`` bytes: the payload plus a long ignored field."""
    return json.dumps({**payload, "padding": "x" * size})


@pytest.mark.django_db
def test_api_split_refuses_a_body_over_one_megabyte(
    client: Any, city: TestCity, users: RoleUsers
) -> None:
    grid = city.grids["a1_west"]
    client.force_login(users.command)
    body = _padded({"cutter": MIDLINE}, SPLIT_MAX_BYTES)
    response = client.post(
        f"/api/v1/geo/grids/{grid.pk}/split", body, content_type="application/json"
    )
    assert response.status_code == 413
    assert "请求体过大" in response.json()["detail"]
    grid.refresh_from_db()
    assert grid.is_current
    # Just under the limit is read as usual.
    small = _padded({"cutter": MIDLINE}, 1000)
    ok = client.post(f"/api/v1/geo/grids/{grid.pk}/split", small, content_type="application/json")
    assert ok.status_code == 201


@pytest.mark.django_db
def test_api_merge_refuses_a_body_over_its_limit(
    client: Any, city: TestCity, users: RoleUsers
) -> None:
    client.force_login(users.command)
    ids = [city.grids["a1_west"].pk, city.grids["a1_east"].pk]
    body = _padded({"grid_ids": ids}, MERGE_MAX_BYTES)
    response = client.post("/api/v1/geo/grids/merge", body, content_type="application/json")
    assert response.status_code == 413
    assert "请求体过大" in response.json()["detail"]


@pytest.mark.django_db
def test_grid_page_refuses_a_split_over_one_megabyte(
    client: Any, city: TestCity, users: RoleUsers
) -> None:
    grid = city.grids["a1_west"]
    client.force_login(users.command)
    response = client.post(
        f"/geo/grids/{grid.pk}/split/",
        {"cutter": json.dumps(MIDLINE), "padding": "x" * SPLIT_MAX_BYTES},
    )
    assert response.status_code == 413
    assert "提交的内容过大" in response.content.decode()
    grid.refresh_from_db()
    assert grid.is_current


@pytest.mark.django_db
def test_split_names_longer_than_a_grid_name_are_refused(
    client: Any, city: TestCity, users: RoleUsers
) -> None:
    grid = city.grids["a1_west"]
    client.force_login(users.command)
    response = client.post(
        f"/api/v1/geo/grids/{grid.pk}/split",
        {"cutter": MIDLINE, "names": ["西" * 101, "东"]},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "网格名称最长 100 个字" in response.json()["detail"]


@pytest.mark.django_db
def test_a_grid_is_not_adjusted_before_it_began(
    client: Any, city: TestCity, users: RoleUsers
) -> None:
    grid = city.grids["a1_west"]
    client.force_login(users.command)
    before = date(grid.valid_from.year - 1, 1, 1).isoformat()
    response = client.post(
        f"/api/v1/geo/grids/{grid.pk}/split",
        {"cutter": MIDLINE, "on": before},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "早于网格" in response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize("pk", [0, -1, 2**63, 2**70])
def test_impossible_grid_ids_are_not_found(
    client: Any, city: TestCity, users: RoleUsers, pk: int
) -> None:
    client.force_login(users.command)
    split = client.post(
        f"/api/v1/geo/grids/{pk}/split", {"cutter": MIDLINE}, content_type="application/json"
    )
    assert split.status_code in (404, 422) and split.status_code < 500
    merge = client.post(
        "/api/v1/geo/grids/merge",
        {"grid_ids": [city.grids["a1_west"].pk, pk]},
        content_type="application/json",
    )
    assert merge.status_code == 404
    assert "不存在" in merge.json()["detail"]


def test_openapi_declares_the_error_answers_of_split_and_merge(client: Any) -> None:
    from config.api import api

    schema = api.get_openapi_schema()
    for path in ("/api/v1/geo/grids/{pk}/split", "/api/v1/geo/grids/merge"):
        responses = {str(k): v for k, v in schema["paths"][path]["post"]["responses"].items()}
        for code in ("400", "401", "403", "404", "413", "422"):
            assert code in responses, (path, code)
            body = responses[code]["content"]["application/json"]["schema"]
            assert body  # {"detail": ...}
