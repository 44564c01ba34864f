"""Management commands: Chinese output, and exit codes a script can rely on."""

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from shapely.geometry import mapping

from civicgrid.geo.models import Grid, Region
from civicgrid.testing.city import TestCity, square


def run(*args: str) -> tuple[str, str, int]:
    out, err = StringIO(), StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue() + str(exc), exc.returncode
    return out.getvalue(), err.getvalue(), 0


@pytest.mark.django_db
def test_import_divisions_prints_counts_and_exits_0(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("5201,贵阳市\n520102,南明区\n520102001,新华路街道办事处\n")
    out, _, code = run("import_divisions", str(path))
    assert code == 0
    assert "市 1,区县 1,街道/乡镇 1" in out
    assert "新增 3 条" in out


@pytest.mark.django_db
def test_import_divisions_lists_rejected_rows_and_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("5201,贵阳市\n52010x,坏\n")
    _, err, code = run("import_divisions", str(path))
    assert code == 2
    assert "第 2 行 [code]" in err
    assert Region.objects.filter(code="5201").exists()


@pytest.mark.django_db
def test_import_grids_reports_bad_feature_and_exits_2(tmp_path: Path, city: TestCity) -> None:
    path = tmp_path / "g.geojson"
    features = [
        {"type": "Feature", "geometry": dict(mapping(square(2))), "properties": {"name": "无编码"}}
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    _, err, code = run("import_grids", str(path))
    assert code == 2
    assert "第 1 个要素 [code]" in err


@pytest.mark.django_db
def test_check_coverage_is_quiet_and_0_on_a_seamless_street(city: TestCity) -> None:
    out, _, code = run("check_coverage", city.street_a.code)
    assert code == 0
    assert "覆盖完整" in out


@pytest.mark.django_db
def test_check_coverage_lists_a_gap_and_exits_1(city: TestCity) -> None:
    Grid.objects.filter(pk=city.grids["a1_east"].pk).update(retired_on="2025-06-01")
    out, _, code = run("check_coverage", city.comm_a1.code)
    assert code == 1
    assert out.startswith("空隙\t520102001001\t")
    assert "平方米" in out and "位置 26.5" in out


@pytest.mark.django_db
def test_check_coverage_of_an_unknown_code_is_a_clear_error(city: TestCity) -> None:
    _, err, code = run("check_coverage", "520199")
    assert code == 1
    assert "未找到区划或网格代码 520199" in err


@pytest.mark.django_db
def test_adjust_grid_splits_and_coverage_stays_complete(
    tmp_path: Path, city: TestCity, users: Any
) -> None:
    from shapely.geometry import LineString

    line = LineString([(106.705, 26.49), (106.705, 26.52)])
    path = tmp_path / "cut.geojson"
    path.write_text(json.dumps(dict(mapping(line))))
    code = city.grids["a1_west"].code
    out, _, status = run("adjust_grid", "split", code, "--cutter", str(path), "--actor", "command")
    assert status == 0
    assert out.count("新网格 520102001001") == 2
    assert run("check_coverage", city.comm_a1.code)[2] == 0


@pytest.mark.django_db
def test_adjust_grid_reports_a_refused_merge_and_exits_1(city: TestCity, users: Any) -> None:
    codes = [city.grids["a1_east"].code, city.grids["a2"].code]
    _, err, status = run("adjust_grid", "merge", *codes, "--actor", "command")
    assert status == 1
    assert "只能合并同一社区内的网格" in err
