"""The base map (civicgrid/geo/basemap.py): 天地图 or an XYZ template when configured, the city's
own boundaries otherwise; a wrong setting stops the start instead of leaving maps blank."""

from typing import Any

import pytest
from django.test import Client, override_settings
from shapely.geometry import shape

from civicgrid.core.checks import base_map_check
from civicgrid.geo.basemap import basemap_config
from civicgrid.testing.city import TestCity, square, to_geojson


@pytest.mark.django_db
def test_offline_layer_is_public_and_holds_streets_and_communities_only(city: TestCity) -> None:
    response = Client().get("/geo/basemap.json")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    features = response.json()["features"]
    by_code = {f["properties"]["code"]: f["properties"] for f in features}
    assert set(by_code) == {
        city.street_a.code,  # drawn as the union of its two communities
        city.street_b.code,
        city.comm_a1.code,
        city.comm_a2.code,
        city.comm_b1.code,
    }
    assert by_code[city.street_a.code]["level"] == "street"
    assert set(by_code[city.comm_a1.code]) == {"code", "name", "level", "label_at"}
    # Streets come first so that communities draw over them.
    assert features[0]["properties"]["level"] == "street"


@pytest.mark.django_db
def test_a_redrawn_boundary_shows_at_once(city: TestCity) -> None:
    Client().get("/geo/basemap.json")
    city.comm_b1.boundary = to_geojson(square(5))
    city.comm_b1.save()
    features = Client().get("/geo/basemap.json").json()["features"]
    b1 = next(f for f in features if f["properties"]["code"] == city.comm_b1.code)
    assert shape(b1["geometry"]).equals(square(5))


@pytest.mark.django_db
def test_a_retired_community_leaves_the_base_map(city: TestCity) -> None:
    city.comm_a2.retired_on = city.comm_a2.updated_at.date()
    city.comm_a2.save()
    codes = {f["properties"]["code"] for f in Client().get("/geo/basemap.json").json()["features"]}
    assert city.comm_a2.code not in codes


@pytest.mark.django_db
@override_settings(MAP_BASE="", MAP_TILE_URL="")
def test_without_tiles_pages_point_at_the_offline_layer(city: TestCity, users: Any) -> None:
    config = basemap_config()
    assert config["layers"] == [] and config["offline_url"] == "/geo/basemap.json"
    client = Client()
    client.force_login(users.command)
    page = client.get("/geo/map/").content.decode()
    assert 'id="civic-basemap"' in page and "/geo/basemap.json" in page


@override_settings(MAP_BASE="tianditu", TIANDITU_KEY="k3y", MAP_TILE_CRS="gcj02")
def test_tianditu_draws_vector_and_annotation_in_wgs84() -> None:
    config = basemap_config()
    urls = [layer["url"] for layer in config["layers"]]
    assert len(urls) == 2 and "LAYER=vec" in urls[0] and "LAYER=cva" in urls[1]
    assert all("tk=k3y" in url and "TILEMATRIXSET=w" in url for url in urls)
    # CGCS2000 is WGS84 to the centimetre: no shift, whatever MAP_TILE_CRS says.
    assert config["crs"] == "wgs84" and config["offline_url"] == ""


@override_settings(MAP_TILE_URL="https://webrd0{s}.example.cn/{z}/{x}/{y}", MAP_TILE_CRS="gcj02")
def test_a_gcj02_provider_is_drawn_through_the_shift() -> None:
    config = basemap_config()
    assert config["crs"] == "gcj02" and config["layers"][0]["url"].startswith("https://webrd0")


@pytest.mark.parametrize(
    "settings_",
    [
        {"MAP_BASE": "google"},
        {"MAP_BASE": "tianditu", "TIANDITU_KEY": ""},
        {"MAP_TILE_CRS": "bd09"},
    ],
)
def test_a_wrong_base_map_setting_is_an_error_at_start(settings_: dict[str, str]) -> None:
    with override_settings(**settings_):
        ids = {m.id for m in base_map_check()}
    assert "core.E002" in ids


def test_the_right_settings_pass_the_check() -> None:
    with override_settings(MAP_BASE="tianditu", TIANDITU_KEY="k", MAP_TILE_CRS="wgs84"):
        assert base_map_check() == []


@pytest.mark.django_db
@override_settings(MAP_BASE="", MAP_TILE_URL="")
def test_buildings_join_the_offline_layer_for_ledger_readers_only(
    city: TestCity, users: Any
) -> None:
    assert basemap_config(users.worker)["points"][0]["url"] == "/api/v1/registry/buildings/points"
    assert basemap_config(users.resident)["points"] == []
    assert basemap_config(users.auditor)["points"] == []
