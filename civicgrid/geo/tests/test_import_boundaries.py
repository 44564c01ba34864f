import json
from pathlib import Path
from typing import Any

import pytest
from shapely.geometry import Polygon, mapping

from civicgrid.geo.coverage import check_coverage
from civicgrid.geo.geometry import to_shape
from civicgrid.geo.services import import_boundaries
from civicgrid.testing.city import TestCity, square


def write(tmp_path: Path, *features: tuple[str, Any]) -> Path:
    path = tmp_path / "boundaries.geojson"
    collection = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": dict(mapping(g)), "properties": {"code": c}}
            for c, g in features
        ],
    }
    path.write_text(json.dumps(collection))
    return path


@pytest.mark.django_db
def test_a_wider_boundary_reveals_the_gap(tmp_path: Path, city: TestCity) -> None:
    assert check_coverage(city.comm_a2.code) == []
    report = import_boundaries(write(tmp_path, (city.comm_a2.code, square(2, rows=2))))
    assert (report.updated, report.errors) == (1, [])
    [gap] = check_coverage(city.comm_a2.code)
    assert gap.kind == "gap"
    again = import_boundaries(write(tmp_path, (city.comm_a2.code, square(2, rows=2))))
    assert (again.updated, again.unchanged) == (0, 1)


@pytest.mark.django_db
def test_unknown_codes_and_invalid_boundaries_are_refused(tmp_path: Path, city: TestCity) -> None:
    bowtie = Polygon([(106.72, 26.50), (106.73, 26.51), (106.73, 26.50), (106.72, 26.51)])
    report = import_boundaries(
        write(tmp_path, ("520102009001", square(2)), (city.comm_a2.code, bowtie))
    )
    assert [(e.line, e.column) for e in report.errors] == [(1, "code"), (2, "geometry")]
    city.comm_a2.refresh_from_db()
    assert to_shape(city.comm_a2.boundary or {}).equals(square(2))  # left as it was
