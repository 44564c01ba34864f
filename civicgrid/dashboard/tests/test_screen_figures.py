"""The screen's figures on a small hand-built set of cases, events and facts."""

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from civicgrid.accounts.models import Department
from civicgrid.assessment.models import DailyFact
from civicgrid.assessment.rollup import summarise
from civicgrid.cases.choices import Action, CaseStatus, Channel
from civicgrid.cases.models import Case, CaseEvent, Category
from civicgrid.dashboard.screen import screen_data
from civicgrid.testing.cases import case_category
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers

TZ = ZoneInfo("Asia/Shanghai")
# Friday 27 November 2026, 15:00 in Guiyang.
NOW = datetime(2026, 11, 27, 15, 0, tzinfo=TZ)
TODAY = NOW.date()
YESTERDAY = TODAY - timedelta(days=1)


def case(number: str, grid_code: str, *, reported: datetime, **fields: Any) -> Case:
    fields.setdefault("status", CaseStatus.REPORTED)
    fields.setdefault("stage", "accept")
    return Case.objects.create(
        number=number,
        channel=Channel.GRID_WORKER,
        category=fields.pop("category", None) or case_category(),
        description="测试事件",
        grid_code=grid_code,
        stage_started_at=reported,
        reported_at=reported,
        updated_at=reported,
        lat=26.505,
        lng=106.705,
        **fields,
    )


def happened(c: Case, action: str, when: datetime, to_status: str) -> None:
    CaseEvent.objects.create(case=c, at=when, action=action, to_status=to_status)


def fact(day: date, code: str, measure: str, value: int, **dims: Any) -> None:
    DailyFact.objects.create(day=day, region_code=code, measure=measure, value=value, **dims)
    summarise(day, day)  # as the rollup does after writing facts


@pytest.fixture
def figures(city: TestCity, users: RoleUsers) -> dict[str, Any]:
    west, east = city.grids["a1_west"].code, city.grids["a1_east"].code
    # Today: three reports in street a (one in street b, not ours), one closure.
    for i, (code, hour) in enumerate(
        [(west, 9), (west, 10), (east, 11), (city.grids["b1"].code, 9)]
    ):
        c = case(f"T{i}", code, reported=NOW.replace(hour=hour))
        happened(c, Action.REPORT, c.reported_at, CaseStatus.REPORTED)
    closed = case("C1", west, reported=NOW - timedelta(days=3), status=CaseStatus.CLOSED)
    happened(closed, Action.VERIFY, NOW.replace(hour=8), CaseStatus.CLOSED)
    # Yesterday: one report.
    y = case("Y1", east, reported=NOW - timedelta(days=1))
    happened(y, Action.REPORT, y.reported_at, CaseStatus.REPORTED)
    # Overdue by 2 days and by 3 hours; one open case on time.
    late = case("L1", west, reported=NOW - timedelta(days=5), stage_due_at=NOW - timedelta(days=2))
    later = case(
        "L2", east, reported=NOW - timedelta(days=1), stage_due_at=NOW - timedelta(hours=3)
    )
    case("OK1", east, reported=NOW - timedelta(hours=1), stage_due_at=NOW + timedelta(hours=3))
    # Facts of earlier days (the rollup's rows), by category and department.
    noise = Category.objects.get(code="0102")
    other = Category.objects.exclude(pk=noise.pk).filter(parent__isnull=False).first()
    dept2 = Department.objects.create(code="sw", name="水务局", region_code=city.district.code)
    fact(TODAY - timedelta(days=2), west, "reported", 4, category=noise)
    fact(TODAY - timedelta(days=2), east, "reported", 2, category=other)
    fact(TODAY - timedelta(days=10), west, "closed", 5)
    fact(TODAY - timedelta(days=40), west, "reported", 100, category=other)  # outside 30 days
    fact(TODAY - timedelta(days=3), west, "disposed", 10, department=users.dept)
    fact(TODAY - timedelta(days=3), west, "disposed_on_time", 9, department=users.dept)
    fact(TODAY - timedelta(days=3), east, "disposed", 4, department=dept2)
    fact(TODAY - timedelta(days=3), east, "disposed_on_time", 2, department=dept2)
    fact(TODAY - timedelta(days=3), west, "evaluated", 4)
    fact(TODAY - timedelta(days=3), west, "satisfied", 3)
    return {"late": late, "later": later, "noise": noise, "other": other}


@pytest.mark.django_db
def test_todays_intake_and_closures_against_yesterday(users: RoleUsers, figures: Any) -> None:
    items = {
        i["key"]: i
        for i in screen_data(users.command, ["intake"], now=NOW)["panels"]["intake"]["items"]
    }
    assert (items["reported"]["today"], items["reported"]["yesterday"]) == (3, 1)
    assert items["reported"]["delta"] == 2
    assert (items["closed"]["today"], items["closed"]["yesterday"]) == (1, 0)


@pytest.mark.django_db
def test_trend_reads_facts_up_to_yesterday_and_counts_today_live(
    users: RoleUsers, figures: Any
) -> None:
    trend = screen_data(users.command, ["trend"], now=NOW)["panels"]["trend"]
    assert len(trend["days"]) == 30 and trend["days"][-1] == TODAY.isoformat()
    reported, closed = trend["series"]
    assert reported["values"][-3] == 6  # the facts of two days ago
    assert reported["values"][-1] == 3  # today, live
    assert sum(reported["values"]) == 9  # 40 days ago is outside the window
    assert closed["values"][-11] == 5 and closed["values"][-1] == 1


@pytest.mark.django_db
def test_category_mix_biggest_first_by_name(users: RoleUsers, figures: Any) -> None:
    rows = screen_data(users.command, ["categories"], now=NOW)["panels"]["categories"]["rows"]
    assert rows == [
        {"label": figures["noise"].name, "value": 4},
        {"label": figures["other"].name, "value": 2},
    ]


@pytest.mark.django_db
def test_overdue_board_most_overdue_first_with_how_long(users: RoleUsers, figures: Any) -> None:
    board = screen_data(users.command, ["overdue"], now=NOW)["panels"]["overdue"]
    assert [r["number"] for r in board["rows"]] == ["L1", "L2"]
    assert board["rows"][0]["overdue_by"] == "2天0小时"
    assert board["rows"][1]["overdue_by"] == "3小时0分"
    assert board["rows"][0]["url"] == f"/cases/{figures['late'].pk}/"
    assert board["total"] == 2
    # A list row, not the case: no description, place or reporter on the wall.
    assert "测试事件" not in str(board)


@pytest.mark.django_db
def test_department_on_time_disposal_rates(users: RoleUsers, figures: Any) -> None:
    rows = screen_data(users.command, ["departments"], now=NOW)["panels"]["departments"]["rows"]
    assert [(r["label"], r["rate"]) for r in rows] == [("城管局", 90.0), ("水务局", 50.0)]


@pytest.mark.django_db
def test_grid_figures_open_overdue_satisfaction(
    city: TestCity, users: RoleUsers, figures: Any
) -> None:
    grids = screen_data(users.command, ["map"], now=NOW)["panels"]["map"]["grids"]
    west, east = grids[city.grids["a1_west"].code], grids[city.grids["a1_east"].code]
    assert (west["open"], west["overdue"], west["satisfaction"]) == (3, 1, 75.0)
    assert (east["open"], east["overdue"], east["satisfaction"]) == (4, 1, None)
    assert "satisfied" not in west  # only the community sums need it


@pytest.mark.django_db
def test_community_figures_sum_their_grids(city: TestCity, users: RoleUsers, figures: Any) -> None:
    """A city wall draws communities: satisfaction over all the community's evaluations, not
    an average of its grids' rates."""
    fact(TODAY - timedelta(days=4), city.grids["a1_east"].code, "evaluated", 6)
    fact(TODAY - timedelta(days=4), city.grids["a1_east"].code, "satisfied", 6)
    panel = screen_data(users.command, ["map"], now=NOW)["panels"]["map"]
    a1 = panel["communities"][city.comm_a1.code]
    # West 3 of 4 satisfied, east 6 of 6: 9 of 10, where the grids' rates average 87.5.
    assert a1 == {"open": 7, "overdue": 2, "evaluated": 10, "satisfaction": 90.0}
    assert city.comm_b1.code not in panel["communities"]


@pytest.mark.django_db
def test_ranking_falls_back_to_on_time_closure_rate(
    city: TestCity, users: RoleUsers, figures: Any
) -> None:
    west, east = city.grids["a1_west"].code, city.grids["a1_east"].code
    for code, due, on_time in ((west, 4, 4), (east, 5, 2)):
        fact(TODAY - timedelta(days=4), code, "due_to_close", due)
        fact(TODAY - timedelta(days=4), code, "closed_on_time", on_time)
    ranking = screen_data(users.command, ["ranking"], now=NOW)["panels"]["ranking"]
    assert ranking["level"] == "grid"
    assert ranking["top"] == [{"label": city.grids["a1_west"].name, "value": 100.0}]
    assert ranking["bottom"] == [{"label": city.grids["a1_east"].name, "value": 40.0}]


@pytest.mark.django_db
def test_ranking_prefers_last_months_frozen_scores(city: TestCity, users: RoleUsers) -> None:
    from civicgrid.assessment.models import PeriodResult

    for key, score in (("a1_west", 91.5), ("a1_east", 78.0), ("a2", 85.0), ("b1", 99.0)):
        grid = city.grids[key]
        PeriodResult.objects.create(
            period_kind="month",
            period_start=date(2026, 10, 1),
            level="grid",
            subject_key=grid.code,
            subject_label=grid.name,
            region_code=grid.code,
            indicator=PeriodResult.TOTAL,
            score=score,
            computed_at=NOW,
        )
    ranking = screen_data(users.command, ["ranking"], now=NOW)["panels"]["ranking"]
    assert "2026年10月" in ranking["basis"]
    assert [r["value"] for r in ranking["top"]] == [91.5, 85.0]  # street b's 99 is not ours
    assert [r["value"] for r in ranking["bottom"]] == [78.0]
