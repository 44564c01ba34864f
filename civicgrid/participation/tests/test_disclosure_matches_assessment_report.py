"""The month's disclosure shows the assessment's figures: the portal page and the API say, for
a community and for its street, exactly what the monthly assessment report says for the same
place and month (立案数 … 满意率), also for a frozen month after late events moved the facts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management import call_command
from django.test import Client

from civicgrid.assessment.models import Level, PeriodKind
from civicgrid.assessment.reports import FIGURES, build_report, display
from civicgrid.assessment.rollup import rollup
from civicgrid.assessment.services import period_start, snapshot
from civicgrid.assessment.tests.history import DAY, crew, handled_case
from civicgrid.participation.models import Disclosure

MONTH = period_start(PeriodKind.MONTH, DAY)


def _handled(city: Any, users: Any, grid: str, **kw: Any) -> None:
    handled_case(
        city.grids[grid].code,
        **crew(users),
        **kw,
    )


def _month(city: Any, users: Any) -> None:
    _handled(city, users, "a1_west")
    _handled(city, users, "a1_west", fed_back_on_time=False)
    _handled(city, users, "a2")
    rollup(DAY - timedelta(days=1), DAY + timedelta(days=1))


def _report_rows(city: Any) -> dict[str, Any]:
    report = build_report(city.street_a, MONTH)
    (communities,) = [s for s in report.sheets if s.level == Level.COMMUNITY]
    rows = {r.key: r for r in communities.rows}
    return {city.street_a.code: report.total, city.comm_a1.code: rows[city.comm_a1.code]}


def _shown(code: str) -> dict[str, Any]:
    answer = Client().get(f"/api/v1/participation/communities/{code}/disclosure?month=2026-10")
    assert answer.status_code == 200, answer.content
    return {f["code"]: f for f in answer.json()["figures"]["assessment"]}


def _assert_same(city: Any) -> None:
    for code, row in _report_rows(city).items():
        shown = _shown(code)
        page = Client().get(f"/community/{code}/disclosure/?month=2026-10").content.decode()
        for figure in FIGURES:
            cell = row.cells[figure.code]
            assert shown[figure.code]["value"] == cell.value, (code, figure.code)
            assert shown[figure.code]["label"] == figure.label
            assert f'id="fig-{figure.code}">{display(figure, cell)}' in page, (code, figure.code)


def test_portal_figures_equal_the_assessment_report(city: Any, users: Any) -> None:
    _month(city, users)
    call_command("publish_disclosure", month="2026-10")
    rows = _report_rows(city)
    assert rows[city.comm_a1.code].cells["accepted"].value == 2
    assert rows[city.street_a.code].cells["accepted"].value == 3
    _assert_same(city)


def test_a_frozen_month_still_agrees_after_late_events(city: Any, users: Any) -> None:
    _month(city, users)
    call_command("publish_disclosure", month="2026-10")
    snapshot(PeriodKind.MONTH, MONTH)
    # A late-recorded case of that month moves the facts; the snapshot keeps the figures.
    _handled(city, users, "a1_east", fed_back_on_time=False)
    rollup(DAY - timedelta(days=1), DAY + timedelta(days=1))
    _assert_same(city)


def test_publish_is_idempotent_and_old_counts_are_not_shown(city: Any, users: Any) -> None:
    _month(city, users)
    call_command("publish_disclosure", month="2026-10")
    call_command("publish_disclosure", month="2026-10")
    assert Disclosure.objects.filter(region_code=city.comm_a1.code).count() == 1
    # A row published when the disclosure counted cases itself: its own counts are dropped.
    Disclosure.objects.filter(region_code=city.comm_a1.code).update(
        figures={"month": "2026-10", "received": 99, "by_category": [], "workers": []}
    )
    figures = (
        Client()
        .get(f"/api/v1/participation/communities/{city.comm_a1.code}/disclosure?month=2026-10")
        .json()["figures"]
    )
    assert "received" not in figures and figures["assessment"][0]["value"] == 2
    missing = Client().get(f"/community/{city.comm_a1.code}/disclosure/?month=2026-09")
    assert "尚未公开" in missing.content.decode()
    bad = Client().get(f"/api/v1/participation/communities/{city.comm_a1.code}/disclosure?month=x")
    assert bad.status_code == 422
