"""Who sees which figures: a street command centre only its street, a department its own
figures, a grid worker their own row; the drill-down lists only visible cases; a subject
outside the viewer's jurisdiction answers 404 like a missing one."""

from datetime import timedelta

import pytest

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import Department
from civicgrid.assessment.rollup import rollup
from civicgrid.assessment.selectors import facts_for, totals_by
from civicgrid.assessment.tests.history import DAY, crew, handled_case
from civicgrid.testing.users import make_user

PERIOD = DAY.strftime("%Y-%m")


@pytest.fixture
def two_streets(city, users):
    """One handled case in street a (worker's grid) and one in street b (outsider's grid),
    each dispatched to its own department."""
    dept_b = Department.objects.create(
        code="b-cg", name="乙街道城管", region_code=city.street_b.code
    )
    handler_b = make_user("handler_b", Role.DEPARTMENT, department=dept_b)
    command_b = make_user("command_b", Role.COMMAND, city.street_b.code)
    a = handled_case(city.grids["a1_west"].code, **crew(users))
    b = handled_case(
        city.grids["b1"].code,
        reporter=users.outsider,
        desk=command_b,
        command=command_b,
        handler=handler_b,
        checker=users.outsider,
        dept=dept_b,
    )
    rollup(DAY - timedelta(days=1), DAY)
    return {"a": a, "b": b, "dept_b": dept_b, "handler_b": handler_b}


def test_street_command_sees_only_its_street(city, users, two_streets):
    rows = totals_by(users.command, "reported", DAY, DAY, "street")
    assert [r["key"] for r in rows] == [city.street_a.code]
    assert not facts_for(users.command).filter(region_code__startswith=city.street_b.code).exists()


def test_department_sees_only_its_own_figures(users, two_streets):
    facts = facts_for(users.department)
    assert facts.exists()
    assert set(facts.values_list("department_id", flat=True)) == {users.dept.pk}


def test_grid_worker_sees_only_own_rows(users, two_streets):
    assert set(facts_for(users.worker).values_list("worker_id", flat=True)) == {users.worker.pk}
    assert not facts_for(users.resident).exists()
    assert not facts_for(users.auditor).exists()


def test_ranking_page_lists_only_subjects_in_jurisdiction(client, city, users, two_streets):
    client.force_login(users.command)
    page = client.get("/assessment/", {"period": PERIOD, "level": "grid"})
    assert page.status_code == 200
    body = page.content.decode()
    assert city.grids["a1_west"].name in body
    assert city.grids["b1"].name not in body


def test_drill_down_lists_only_visible_cases(client, city, users, two_streets):
    # The district department's figure covers street a's case; the street-b department is
    # another subject. The cadre of community a1 sees its case behind the grid figure.
    client.force_login(users.cadre)
    page = client.get(
        "/assessment/drill/",
        {
            "period": PERIOD,
            "level": "grid",
            "subject": city.grids["a1_west"].code,
            "indicator": "valid_report_rate",
        },
    )
    assert page.status_code == 200
    body = page.content.decode()
    assert two_streets["a"].number in body
    assert two_streets["b"].number not in body


def test_subject_outside_jurisdiction_is_404(client, city, users, two_streets):
    client.force_login(users.outsider)
    page = client.get(
        "/assessment/drill/",
        {
            "period": PERIOD,
            "level": "worker",
            "subject": str(users.worker.pk),
            "indicator": "valid_report_rate",
        },
    )
    assert page.status_code == 404
    api = client.get(
        "/api/v1/assessment/drill",
        {
            "period": PERIOD,
            "level": "grid",
            "subject": city.grids["a1_west"].code,
            "indicator": "valid_report_rate",
        },
    )
    assert api.status_code == 404
    # Their own row is there.
    own = client.get(
        "/api/v1/assessment/drill",
        {
            "period": PERIOD,
            "level": "worker",
            "subject": str(users.outsider.pk),
            "indicator": "valid_report_rate",
        },
    )
    assert own.status_code == 200
    assert own.json()["cases"][0]["number"] == two_streets["b"].number


def test_department_ranking_shows_only_itself(client, users, two_streets):
    client.force_login(two_streets["handler_b"])
    data = client.get(
        "/api/v1/assessment/results", {"period": PERIOD, "level": "department"}
    ).json()
    assert [r["key"] for r in data["rows"]] == [str(two_streets["dept_b"].pk)]
    assert data["rows"][0]["rank"] == 1


def test_bad_input_is_a_clear_4xx(client, users):
    client.force_login(users.command)
    assert client.get("/assessment/", {"period": "2026-13"}).status_code == 400
    api = client.get("/api/v1/assessment/series", {"measure": "nope"})
    assert api.status_code == 422 and "度量" in api.json()["detail"]
    api = client.get("/api/v1/assessment/results", {"level": "planet"})
    assert api.status_code == 422


def test_drill_marks_the_cases_counted_in_the_numerator(client, city, users, two_streets):
    client.force_login(users.command)
    data = client.get(
        "/api/v1/assessment/drill",
        {
            "period": PERIOD,
            "level": "grid",
            "subject": city.grids["a1_west"].code,
            "indicator": "valid_report_rate",
        },
    ).json()
    assert [(c["number"], c["in_numerator"]) for c in data["cases"]] == [
        (two_streets["a"].number, True)
    ]
