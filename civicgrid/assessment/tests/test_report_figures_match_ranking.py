"""The report's figures are the ranking page's figures for the same month: the same facts,
grouping and indicator definitions, and for a frozen month the kept results even after late
events moved the facts."""

from datetime import timedelta

from civicgrid.assessment.models import Level, PeriodKind
from civicgrid.assessment.reports import build_report
from civicgrid.assessment.rollup import rollup
from civicgrid.assessment.services import period_start, ranking, snapshot
from civicgrid.assessment.tests.history import DAY, crew, handled_case

MONTH = period_start(PeriodKind.MONTH, DAY)


def _cases(city, users, n_late=1):
    kw = crew(users)
    handled_case(city.grids["a1_west"].code, **kw)
    for _ in range(n_late):
        handled_case(city.grids["a1_west"].code, fed_back_on_time=False, **kw)
    handled_case(city.grids["a2"].code, **kw)
    rollup(DAY - timedelta(days=1), DAY + timedelta(days=1))


def _by_key(sheet):
    return {r.key: r for r in sheet.rows}


def _compare(report_sheet, shown, codes):
    rows = _by_key(report_sheet)
    compared = 0
    for subject in shown:
        for code in codes:
            if code in subject.figures:
                cell = rows[subject.key].cells[code]
                fig = subject.figures[code]
                assert (cell.value, cell.numerator, cell.denominator) == (
                    fig["value"],
                    fig["numerator"],
                    fig["denominator"],
                ), (subject.key, code)
                compared += 1
    return compared


RATES = ["close_rate", "close_on_time_rate", "rework_rate", "extension_rate", "satisfaction_rate"]


def test_street_report_equals_community_ranking(city, users):
    _cases(city, users)
    report = build_report(city.street_a, DAY)
    shown = ranking(users.command, PeriodKind.MONTH, MONTH, Level.COMMUNITY)
    assert shown
    assert _compare(report.sheets[0], shown, RATES) >= 3
    # 立案数 of the street total is the count of accept events in the street that month.
    assert report.total.cells["accepted"].value == 3


def _scores(sheet):
    return {r.key: (r.score, r.grade) for r in sheet.rows if r.score is not None}


def test_place_rows_carry_the_rankings_score_and_grade_ranked_within_the_sheet(city, users):
    _cases(city, users)
    report = build_report(city.street_a, DAY)
    shown = ranking(users.command, PeriodKind.MONTH, MONTH, Level.COMMUNITY)
    in_street = {s.key: (s.score, s.grade) for s in shown if s.key.startswith(city.street_a.code)}
    assert _scores(report.sheets[0]) == in_street
    assert len(in_street) == 2
    # The community with the late case scores lower and ranks second.
    rows = _by_key(report.sheets[0])
    a1, a2 = rows[city.comm_a1.code], rows[city.comm_a2.code]
    assert a1.score < a2.score
    assert (a2.rank, a1.rank) == (1, 2)
    street = next(
        s
        for s in ranking(users.sysadmin, PeriodKind.MONTH, MONTH, Level.STREET)
        if s.key == city.street_a.code
    )
    assert (report.total.score, report.total.grade, report.total.rank) == (
        street.score,
        street.grade,
        None,
    )
    # Departments count only the region's cases here: no score of their own in the report.
    assert all(r.score is None and r.rank is None for r in report.sheets[-1].rows)


def test_district_report_equals_street_ranking(city, users):
    _cases(city, users)
    report = build_report(city.district, DAY)
    shown = ranking(users.sysadmin, PeriodKind.MONTH, MONTH, Level.STREET)
    assert shown
    assert [s.title for s in report.sheets] == ["街道", "部门"]
    assert _compare(report.sheets[0], shown, RATES) >= 2


def test_frozen_month_report_keeps_the_published_figures(city, users):
    _cases(city, users)
    snapshot(PeriodKind.MONTH, MONTH)
    # A late case arrives and the rollup recounts the month: the ranking keeps what it
    # published, and so must the report.
    _cases(city, users, n_late=2)
    shown = ranking(users.command, PeriodKind.MONTH, MONTH, Level.COMMUNITY)
    report = build_report(city.street_a, DAY)
    assert report.frozen
    assert _compare(report.sheets[0], shown, RATES) >= 3
    total = ranking(users.sysadmin, PeriodKind.MONTH, MONTH, Level.STREET)
    street = next(s for s in total if s.key == city.street_a.code)
    assert (
        report.total.cells["close_on_time_rate"].value
        == (street.figures["close_on_time_rate"]["value"])
    )
    # Scores and grades are the published ones too.
    assert _scores(report.sheets[0]) == {
        s.key: (s.score, s.grade) for s in shown if s.key.startswith(city.street_a.code)
    }
    assert (report.total.score, report.total.grade) == (street.score, street.grade)
