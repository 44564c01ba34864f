"""Scores and rates read the same on the ranking page, its drill-down and the monthly report:
two decimals ("50.00%", "82.50"), whatever the float happens to be."""

from datetime import timedelta

import pytest

from civicgrid.assessment.reports import build_report, score_cells
from civicgrid.assessment.rollup import rollup
from civicgrid.assessment.tests.history import DAY, crew, handled_case

PERIOD = DAY.strftime("%Y-%m")


@pytest.fixture
def month(city, users):
    kw = crew(users)
    handled_case(city.grids["a1_west"].code, **kw)
    handled_case(city.grids["a1_west"].code, fed_back_on_time=False, **kw)
    rollup(DAY - timedelta(days=1), DAY + timedelta(days=1))


@pytest.mark.django_db
def test_ranking_and_drill_show_two_decimals_like_the_report(client, city, users, month):
    row = next(
        r for r in build_report(city.street_a, DAY).sheets[0].rows if r.key == city.comm_a1.code
    )
    score = score_cells(row)[0]
    assert score.endswith(".50")  # 82.5 as a float
    client.force_login(users.command)
    body = client.get("/assessment/", {"period": PERIOD, "level": "community"}).content.decode()
    assert f'<td class="num">{score}</td>' in body
    assert ">50.00%</a>" in body and ">100.00%</a>" in body
    drill = client.get(
        "/assessment/drill/",
        {
            "period": PERIOD,
            "level": "community",
            "subject": city.comm_a1.code,
            "indicator": "close_on_time_rate",
        },
    ).content.decode()
    assert "<dd>50.00%</dd>" in drill
