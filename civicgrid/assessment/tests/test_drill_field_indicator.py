"""A field-work indicator (走访完成率) has no cases behind it: its drill-down says where its
records are instead of showing an empty case table; a case indicator keeps its table."""

import pytest

from civicgrid.assessment.tests.history import DAY
from civicgrid.assessment.tests.test_scoping import two_streets  # noqa: F401  (a rolled-up month)

PERIOD = DAY.strftime("%Y-%m")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("indicator", "table"), [("visit_rate", False), ("valid_report_rate", True)]
)
def test_drill_shows_a_case_table_only_for_case_indicators(
    client,
    city,
    users,
    two_streets,  # noqa: F811
    indicator,
    table,
):
    client.force_login(users.cadre)
    page = client.get(
        "/assessment/drill/",
        {
            "period": PERIOD,
            "level": "grid",
            "subject": city.grids["a1_west"].code,
            "indicator": indicator,
        },
    )
    assert page.status_code == 200
    body = page.content.decode()
    assert ('id="drill-cases"' in body) is table
    assert ('id="drill-field"' in body) is not table
    assert ('<p id="drill-field-links"><a href="/fieldwork/worklog/stats/"' in body) is not table


@pytest.mark.django_db
def test_the_back_link_returns_to_the_ranking_it_came_from(
    client,
    city,
    users,
    two_streets,  # noqa: F811
):
    client.force_login(users.cadre)
    body = client.get(
        "/assessment/drill/",
        {
            "kind": "month",
            "period": PERIOD,
            "level": "grid",
            "subject": city.grids["a1_west"].code,
            "indicator": "valid_report_rate",
        },
    ).content.decode()
    assert f'href="/assessment/?kind=month&amp;period={PERIOD}&amp;level=grid"' in body
