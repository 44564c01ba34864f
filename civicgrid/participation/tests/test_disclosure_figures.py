"""A hand-built October: figures counted from CaseEvent, stored once per division and month."""

from datetime import date, datetime, timedelta
from typing import Any

from django.core.management import call_command
from django.test import Client

from civicgrid.cases.choices import Action, CaseStatus, Channel
from civicgrid.cases.models import CaseEvent
from civicgrid.participation.disclosure import compute_disclosure
from civicgrid.participation.models import Disclosure
from civicgrid.testing.cases import IN_A1_EAST, IN_B1, SHANGHAI, case_category, report_case

OCT = datetime(2026, 10, 12, 10, 0, tzinfo=SHANGHAI)


def _event(case: Any, action: str, at: datetime, **extra: Any) -> None:
    CaseEvent.objects.create(
        case=case, action=action, at=at, from_status="", to_status=CaseStatus.CLOSED, **extra
    )


def _october(users: Any) -> None:
    garbage = case_category("0102")
    on_time = report_case(users.worker, at=OCT, category=garbage)
    late = report_case(users.worker, at=OCT, category=garbage, point=IN_A1_EAST)
    open_case = report_case(users.worker, at=OCT)
    report_case(users.worker, at=OCT - timedelta(days=20))  # September: not counted
    report_case(users.outsider, at=OCT, point=IN_B1)  # another street: not counted
    _event(on_time, Action.VERIFY, OCT + timedelta(days=2))
    _event(late, Action.FEEDBACK, OCT + timedelta(days=5), on_time=False)
    _event(late, Action.VERIFY, OCT + timedelta(days=6))
    _event(on_time, Action.EVALUATE, OCT + timedelta(days=3), data={"satisfaction": "satisfied"})
    _event(late, Action.EVALUATE, OCT + timedelta(days=7), data={"satisfaction": "unsatisfied"})
    assert open_case.channel == Channel.GRID_WORKER


def test_month_figures_from_case_events(city: Any, users: Any) -> None:
    _october(users)
    figures = compute_disclosure(city.comm_a1.code, date(2026, 10, 1))
    assert (figures["received"], figures["closed"], figures["closed_on_time"]) == (3, 2, 1)
    assert figures["on_time_rate"] == 50.0
    assert (figures["evaluated"], figures["satisfaction_rate"]) == (2, 50.0)
    assert figures["by_category"] == [{"category": "市容环境", "received": 3, "closed": 2}]
    assert figures["responsibilities"], "the responsibility list comes from ResponsibilityRule"
    street = compute_disclosure(city.street_b.code, date(2026, 10, 1))
    assert (street["received"], street["closed"]) == (1, 0)


def test_publish_is_idempotent_and_the_page_shows_stored_months(city: Any, users: Any) -> None:
    _october(users)
    call_command("publish_disclosure", month="2026-10")
    call_command("publish_disclosure", month="2026-10")
    assert Disclosure.objects.filter(region_code=city.comm_a1.code).count() == 1
    page = Client().get(f"/community/{city.comm_a1.code}/disclosure/?month=2026-10")
    body = page.content.decode()
    assert page.status_code == 200 and 'id="fig-received">3<' in body and "50.0%" in body
    missing = Client().get(f"/community/{city.comm_a1.code}/disclosure/?month=2026-09")
    assert "尚未公开" in missing.content.decode()
    bad = Client().get(f"/api/v1/participation/communities/{city.comm_a1.code}/disclosure?month=x")
    assert bad.status_code == 422
