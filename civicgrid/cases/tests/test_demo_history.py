from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from civicgrid.accounts.models import Department, User
from civicgrid.cases.choices import Action, CaseStatus, Satisfaction
from civicgrid.cases.demo import (
    DEMO_MAJORS,
    DESCRIPTIONS,
    READ_BEFORE_DAYS,
    DemoCases,
    build_cases,
    descriptions_for,
)
from civicgrid.cases.models import Case, CaseEvent, Category
from civicgrid.cases.selectors import queue_counts
from civicgrid.dashboard.demo import DEMO_PASSWORD
from civicgrid.notifications.models import Notification
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(city: TestCity, users: RoleUsers) -> int:
    demo_city = SimpleNamespace(communities=[city.comm_a1], grids=list(city.grids.values()))
    return build_cases(demo_city, history=25)


def test_every_case_starts_with_its_report_event(built: int) -> None:
    assert Case.objects.count() == built
    first_actions = {case.events.order_by("at", "id").first().action for case in Case.objects.all()}
    assert first_actions == {Action.REPORT}


def test_history_ends_in_closed_cases_and_open_work(built: int) -> None:
    statuses = set(Case.objects.values_list("status", flat=True))
    assert CaseStatus.CLOSED in statuses
    assert {CaseStatus.REPORTED, CaseStatus.TO_VERIFY, CaseStatus.HANDLING} <= statuses


def test_demo_accounts_find_work_in_their_queues(built: int, users: RoleUsers) -> None:
    assert queue_counts(users.secretary)["to_accept"] > 0
    assert queue_counts(users.worker)["to_verify"] > 0
    assert queue_counts(users.department)["to_sign"] > 0
    assert queue_counts(users.command)["to_dispatch"] > 0


def test_no_step_is_dated_in_the_future(built: int) -> None:
    from django.utils import timezone

    assert not CaseEvent.objects.filter(at__gt=timezone.now()).exists()


def test_every_case_is_described_in_words_of_its_own_category(built: int) -> None:
    for case in Case.objects.select_related("category"):
        texts = descriptions_for(case.category)
        assert any(case.description.endswith(text) for text in texts), (
            case.category.name,
            case.description,
        )


def test_every_seeded_subcategory_the_demo_reports_has_texts_of_its_own() -> None:
    used = Category.objects.current().minors().filter(parent__code__in=DEMO_MAJORS)
    assert used.exists()
    assert [c.code for c in used if c.code not in DESCRIPTIONS] == []


def test_a_subcategory_without_texts_is_described_by_its_name() -> None:
    assert descriptions_for(Category(code="9901", name="古树保护")) == [
        "发现“古树保护”方面的问题,请核实处理。"
    ]


def test_handlers_made_for_the_other_departments_can_sign_in(
    city: TestCity, users: RoleUsers
) -> None:
    Department.objects.create(code="sw", name="区水务局", region_code=city.street_a.code[:6])
    demo_city = SimpleNamespace(communities=[city.comm_a1], grids=list(city.grids.values()))
    build_cases(demo_city, history=2)
    handler = User.objects.get(username="dept-sw")
    assert handler.department.code == "sw"  # type: ignore[union-attr]
    assert handler.check_password(DEMO_PASSWORD)


def test_demo_inboxes_hold_only_the_last_days_as_unread(
    city: TestCity, users: RoleUsers, django_capture_on_commit_callbacks: Any
) -> None:
    demo_city = SimpleNamespace(communities=[city.comm_a1], grids=list(city.grids.values()))
    with django_capture_on_commit_callbacks(execute=True):
        build_cases(demo_city, history=25)
    cutoff = timezone.now() - timedelta(days=READ_BEFORE_DAYS, hours=1)
    mine = Notification.objects.filter(recipient=users.secretary)
    assert mine.filter(created_at__lt=cutoff).exists()
    assert not mine.filter(created_at__lt=cutoff, read_at__isnull=True).exists()
    assert mine.filter(read_at__isnull=True).exists()


def test_no_old_case_waits_for_dispatch_and_reopened_ones_get_a_second_round(
    city: TestCity, users: RoleUsers
) -> None:
    # An unsatisfied resident's case is reopened and routed again; a believable city
    # dispatches it again and closes it, so only a recent one may still wait.
    demo_city = SimpleNamespace(communities=[city.comm_a1], grids=list(city.grids.values()))
    build_cases(demo_city, history=80)
    old = Case.objects.filter(reported_at__lt=timezone.now() - timedelta(days=30))
    assert old.exists()
    assert not old.filter(status=CaseStatus.TO_DISPATCH).exists()
    reopened = old.filter(reopen_count__gt=0)
    assert reopened.exists()
    assert set(reopened.values_list("status", flat=True)) == {CaseStatus.CLOSED}
    for case in reopened:
        evaluations = case.events.filter(action=Action.EVALUATE)
        assert evaluations.count() == 2
        assert case.satisfaction in (Satisfaction.SATISFIED, Satisfaction.BASIC)


# The QA build: a Sunday evening, 20:30 in Guiyang. Working hours added to a weekend or
# evening start land on Monday morning, after the build.
SUNDAY_EVENING = datetime(2026, 11, 29, 20, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


def _times_after(now: datetime) -> list[tuple[str, Any]]:
    late = [
        (f"case {number} {name}", value)
        for number, *values in Case.objects.values_list("number", *CASE_TIMES)
        for name, value in zip(CASE_TIMES, values, strict=True)
        if value is not None and value > now
    ]
    late += [
        (f"event {action} of {number}", at)
        for action, number, at in CaseEvent.objects.filter(at__gt=now).values_list(
            "action", "case__number", "at"
        )
    ]
    return late


CASE_TIMES = ("reported_at", "accepted_at", "closed_at", "updated_at", "stage_started_at")


def test_a_duplicate_of_a_case_reported_out_of_hours_is_not_dated_after_the_build(
    city: TestCity, users: RoleUsers
) -> None:
    demo_city = SimpleNamespace(communities=[city.comm_a1], grids=list(city.grids.values()))
    now = SUNDAY_EVENING.replace(minute=0)
    with time_machine.travel(SUNDAY_EVENING, tick=False):
        demo = DemoCases(demo_city, now)
        original = demo.play(demo.story(home=True), now - timedelta(hours=1))
        assert original is not None
        demo.duplicate_of(original, now - timedelta(hours=1))
    assert _times_after(now) == []


def test_no_case_or_event_of_a_build_on_a_sunday_evening_is_in_the_future(
    city: TestCity, users: RoleUsers
) -> None:
    demo_city = SimpleNamespace(communities=[city.comm_a1], grids=list(city.grids.values()))
    with time_machine.travel(SUNDAY_EVENING, tick=False):
        build_cases(demo_city, history=60)
    assert _times_after(SUNDAY_EVENING) == []
