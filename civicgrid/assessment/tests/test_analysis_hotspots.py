"""Hotspots are clusters in space *and* time of one category: three cases within 50 m in ten
days are found; the same three spread a kilometre apart, or three months apart, or split
between two categories, are not."""

from datetime import timedelta

from civicgrid.assessment.analysis import hotspots
from civicgrid.assessment.tests.history import DAY, at, new_case
from civicgrid.testing.cases import IN_A1_WEST, case_category

# About 22 m of latitude, and about a kilometre.
NEAR = 0.0002
FAR = 0.009


def plant(city, offsets, days, category=None):
    lat, lng = IN_A1_WEST
    grid = city.grids["a1_west"]
    return [
        new_case(
            grid.code,
            grid=grid,
            when=at(DAY - timedelta(days=d)),
            lat=lat + dlat,
            lng=lng,
            category=category,
        )
        for dlat, d in zip(offsets, days, strict=True)
    ]


def test_three_close_cases_in_ten_days_make_one_hotspot(city, users):
    cases = plant(city, [0, NEAR, 2 * NEAR], [0, 4, 9])
    result = hotspots(users.command, today=DAY)
    assert len(result.clusters) == 1
    spot = result.clusters[0]
    assert spot.count == 3
    assert {c["number"] for c in spot.cases} == {c.number for c in cases}
    assert spot.first == DAY - timedelta(days=9) and spot.last == DAY
    assert [g["code"] for g in spot.grids] == [city.grids["a1_west"].code]
    # The centre is the middle case, the radius about 22 m (metres, not degrees).
    assert abs(spot.lat - (IN_A1_WEST[0] + NEAR)) < 1e-5
    assert 18 <= spot.radius_m <= 26


def test_cases_a_kilometre_apart_are_no_hotspot(city, users):
    plant(city, [0, FAR, 2 * FAR], [0, 1, 2])
    assert hotspots(users.command, today=DAY).clusters == []


def test_cases_months_apart_are_no_hotspot(city, users):
    plant(city, [0, NEAR, 2 * NEAR], [0, 45, 90])
    assert hotspots(users.command, today=DAY).clusters == []


def test_different_categories_do_not_cluster(city, users):
    plant(city, [0, NEAR], [0, 1])
    plant(city, [2 * NEAR], [2], category=case_category("0101"))
    assert hotspots(users.command, today=DAY).clusters == []


def test_parameters_change_the_answer(city, users):
    plant(city, [0, NEAR, 2 * NEAR], [0, 4, 9])
    assert hotspots(users.command, today=DAY, min_cases=4).clusters == []
    assert hotspots(users.command, today=DAY, days=2).clusters == []
    assert hotspots(users.command, today=DAY, radius_m=10).clusters == []
