import json
from pathlib import Path
from typing import Any

import pytest
from shapely.geometry import Polygon, mapping

from civicgrid.geo.index import current_version
from civicgrid.geo.models import Grid
from civicgrid.geo.services import import_grids
from civicgrid.testing.city import TestCity, square
from civicgrid.testing.users import RoleUsers


def feature(geom: Any, **props: Any) -> dict[str, Any]:
    geometry = dict(mapping(geom)) if hasattr(geom, "geom_type") else geom
    return {"type": "Feature", "geometry": geometry, "properties": props}


def write(tmp_path: Path, *features: dict[str, Any]) -> Path:
    path = tmp_path / "grids.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": list(features)}))
    return path


def quarter(col: int, row: int) -> Polygon:
    """A quarter of community a2's square (col, row from its south-west corner)."""
    return square(2 + col * 0.5, row * 0.5, cols=0.5, rows=0.5)


@pytest.mark.django_db
def test_serials_are_generated_west_to_east_then_north_to_south(
    tmp_path: Path, city: TestCity
) -> None:
    code = city.comm_a2.code
    names = {(0, 0): "西南", (1, 0): "东南", (0, 1): "西北", (1, 1): "东北"}
    report = import_grids(
        write(
            tmp_path, *[feature(quarter(*k), community_code=code, name=v) for k, v in names.items()]
        )
    )
    assert report.ok, report.errors
    created = dict(
        Grid.objects.filter(code__gt=f"{code}001", code__startswith=code).values_list(
            "name", "code"
        )
    )
    # Serial 001 is the existing grid, so numbering continues at 002.
    assert created == {
        "西北": f"{code}002",
        "东北": f"{code}003",
        "西南": f"{code}004",
        "东南": f"{code}005",
    }


@pytest.mark.django_db
def test_reimport_updates_by_code_and_creates_nothing(tmp_path: Path, city: TestCity) -> None:
    path = write(
        tmp_path,
        feature(square(2), code=city.grids["a2"].code, name="改名网格", kind="专属"),
        feature(quarter(0, 0), community_code=city.comm_a2.code, name="新网格"),
    )
    version = current_version()
    first = import_grids(path)
    assert (first.created, first.updated) == (1, 1)
    assert current_version() > version
    again = import_grids(path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    grid = Grid.objects.get(code=city.grids["a2"].code)
    assert (grid.name, grid.kind) == ("改名网格", "dedicated")
    assert Grid.objects.filter(name="新网格").count() == 1


@pytest.mark.django_db
def test_bad_features_are_reported_and_good_ones_kept(tmp_path: Path, city: TestCity) -> None:
    a2 = city.comm_a2.code
    path = write(
        tmp_path,
        feature(square(2), code="52010200100200", name="十四位"),  # 1
        feature(square(2), code="520102009009001", name="无此社区"),  # 2
        feature(square(2), code=f"{a2}009", community_code=city.comm_a1.code, name="不一致"),  # 3
        feature({"type": "Point", "coordinates": [106.7, 26.5]}, community_code=a2, name="点"),  # 4
        feature(Polygon([(200, 26), (201, 26), (201, 27)]), community_code=a2, name="越界"),  # 5
        feature(quarter(0, 0), code=f"{a2}007", name="好网格"),  # 6
        feature(quarter(1, 0), code=f"{a2}007", name="重复"),  # 7
        feature(quarter(1, 1), community_code=a2, name="坏类型", kind="普通"),  # 8
    )
    report = import_grids(path)
    errors = {(e.line, e.column) for e in report.errors}
    assert errors == {
        (1, "code"),
        (2, "community_code"),
        (3, "community_code"),
        (4, "geometry"),
        (5, "geometry"),
        (7, "code"),
        (8, "kind"),
    }
    assert any(str(e).startswith("第 7 个要素 [code]") for e in report.errors)
    assert report.created == 1
    assert Grid.objects.filter(code=f"{a2}007", name="好网格").exists()


@pytest.mark.django_db
def test_self_intersecting_polygon_is_kept_with_a_warning(tmp_path: Path, city: TestCity) -> None:
    bowtie = Polygon([(106.72, 26.50), (106.73, 26.51), (106.73, 26.50), (106.72, 26.51)])
    report = import_grids(
        write(tmp_path, feature(bowtie, community_code=city.comm_a2.code, name="蝴蝶"))
    )
    assert report.ok and report.created == 1
    assert "自相交" in report.warnings[0].reason
    stored = Grid.objects.get(name="蝴蝶").geometry["coordinates"][0]
    assert [tuple(p) for p in stored] == list(bowtie.exterior.coords)  # not repaired


@pytest.mark.django_db
def test_an_exported_file_reimports_without_changes(
    client: Any, tmp_path: Path, users: RoleUsers
) -> None:
    client.force_login(users.sysadmin)
    path = tmp_path / "export.geojson"
    path.write_text(client.get("/api/v1/geo/grids.geojson").content.decode())
    report = import_grids(path)
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (0, 0, 4)
