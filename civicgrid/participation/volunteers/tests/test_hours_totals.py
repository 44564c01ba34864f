"""Closing an activity credits hours to those who came (actual when they checked out, else the
planned duration); totals add up per volunteer and per team; an adjustment needs a reason, is
audited, and negative or absurd hours are refused."""

from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from civicgrid.core.models import AuditEntry
from civicgrid.participation.volunteers import selectors, services
from civicgrid.participation.volunteers.testing import make_activity, make_team, make_volunteer


def _last_month_at(hour: int) -> datetime:
    day = timezone.localdate().replace(day=1) - timedelta(days=20)
    if day.year != timezone.localdate().year:  # keep it inside this year for the totals
        day = timezone.localdate()
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _held(team: Any, users: Any, volunteers: list[Any], start: datetime, hours: float) -> Any:
    """An activity run through: everyone signs up before, checks in by the organiser's tick."""
    with time_machine.travel(start - timedelta(days=2)):
        activity = make_activity(team, users.cadre, start=start, hours=hours, places=10)
        for v in volunteers:
            services.signup(activity=activity, volunteer=v, actor=users.cadre)
    with time_machine.travel(start + timedelta(minutes=5)):
        present = [s.pk for s in activity.signups.all()]
        services.attendance_mark(activity=activity, actor=users.cadre, present=present)
    return activity


def test_totals_per_volunteer_and_team(city: Any, users: Any) -> None:
    green, elder = make_team(city.comm_a1, "环保队"), make_team(city.comm_a1, "为老队")
    zhang, li, wang = (make_volunteer(city.comm_a1, n) for n in ("张三华", "李四", "王五"))
    first = _held(green, users, [zhang, li], _last_month_at(9), 2)
    second = _held(elder, users, [zhang], _last_month_at(14), 3)
    absent = _held(green, users, [wang], _last_month_at(16), 1)
    absent.signups.update(checked_in_at=None)  # wang never came

    with time_machine.travel(_last_month_at(20)):
        for a in (first, second, absent):
            services.activity_close(activity=a, actor=users.cadre)

    year = timezone.localdate().year
    assert selectors.volunteer_hours(zhang, year) == Decimal("5.00")
    assert selectors.volunteer_hours(li, year) == Decimal("2.00")
    assert selectors.volunteer_hours(wang, year) == Decimal("0")
    assert selectors.team_hours(green, year) == Decimal("4.00")
    assert selectors.team_hours(elder, year) == Decimal("3.00")
    ranking = selectors.ranking(city.comm_a1.code, year)
    assert [r["volunteer__name"] for r in ranking["volunteers"]] == ["张三华", "李四"]

    with pytest.raises(ValidationError, match="不能重复结项"):
        services.activity_close(activity=first, actor=users.cadre)


def test_checked_out_early_gets_the_actual_time(city: Any, users: Any) -> None:
    volunteer = make_volunteer(city.comm_a1)
    start = _last_month_at(9)
    activity = _held(make_team(city.comm_a1), users, [volunteer], start, 3)
    with time_machine.travel(start + timedelta(minutes=90)):
        services.checkout_self(activity=activity, volunteer=volunteer)
    with time_machine.travel(start + timedelta(hours=4)):
        services.activity_close(activity=activity, actor=users.cadre)
    # Ticked present 5 minutes after the start, left at 90: 85 minutes.
    assert activity.signups.get().hours == Decimal("1.42")


def test_adjustment_needs_a_sane_value_and_is_audited(city: Any, users: Any) -> None:
    volunteer = make_volunteer(city.comm_a1)
    start = _last_month_at(9)
    activity = _held(make_team(city.comm_a1), users, [volunteer], start, 2)
    row = activity.signups.get()
    with pytest.raises(ValidationError, match="结项后"):
        services.hours_adjust(row=row, actor=users.cadre, hours=3, reason="补记")
    with time_machine.travel(start + timedelta(hours=3)):
        services.activity_close(activity=activity, actor=users.cadre)
    row.refresh_from_db()
    for bad, message in (
        (-1, "不能为负数"),
        (25, "不能超过 24"),
        ("abc", "应为数字"),
        ("nan", "应为数字"),
    ):
        with pytest.raises(ValidationError, match=message):
            services.hours_adjust(row=row, actor=users.cadre, hours=bad, reason="补记")
    services.hours_adjust(row=row, actor=users.cadre, hours="2.5", reason="提前到场布置")
    row.refresh_from_db()
    assert row.hours == Decimal("2.50") and row.hours_reason == "提前到场布置"
    entry = AuditEntry.objects.filter(action="volunteers.hours_adjust").get()
    assert "提前到场布置" in entry.reason
