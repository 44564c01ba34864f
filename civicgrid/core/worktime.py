"""Working time: deadlines counted in working hours and working days.

A day is a working day according to, in order: the admin-maintained ``WorkCalendarDay`` table,
the ``chinesecalendar`` package (national holidays and make-up workdays; it raises
``NotImplementedError`` for years it does not know), and finally Monday–Friday. Working hours
within a day come from ``settings.WORK_PERIODS`` (``["09:00-12:00", "13:30-17:30"]``).

All arguments and results are timezone-aware datetimes; the calendar is applied in the local
time zone (``TIME_ZONE``). ``add_working_hours`` runs on every case creation, so the override
table is read once per process and kept until a change clears it (signal) or it is older
than ``WORK_CALENDAR_CACHE_SECONDS`` (another process may have changed it).
"""

from __future__ import annotations

import itertools
import threading
import time as monotonic_time
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import Any

import chinese_calendar
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from civicgrid.core.imports import ImportReport, csv_rows


class WorkUnit(models.TextChoices):
    HOURS = "hours", _("工作小时")
    DAYS = "days", _("工作日")


class DeadlineState(models.TextChoices):
    ON_TIME = "on_time", _("正常")
    DUE_SOON = "due_soon", _("即将到期")
    OVERDUE = "overdue", _("已超期")

    @property
    def css(self) -> str:
        """Badge class in civicgrid.css (``<span class="badge {{ state.css }}">``)."""
        return {"on_time": "ok", "due_soon": "warn", "overdue": "bad"}[self.value]


# --- working hours -------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: time
    end: time

    @property
    def seconds(self) -> int:
        return (self.end.hour * 3600 + self.end.minute * 60) - (
            self.start.hour * 3600 + self.start.minute * 60
        )


def _parse_clock(text: str, setting: str) -> time:
    try:
        hour, minute = (int(part) for part in text.strip().split(":"))
        return time(hour, minute)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{setting}: {text!r} is not a HH:MM time") from exc


@lru_cache(maxsize=4)
def parse_work_periods(raw: tuple[str, ...]) -> tuple[Period, ...]:
    """``("09:00-12:00", "13:30-17:30")`` → ordered, non-overlapping periods, or raise."""
    periods = []
    for item in raw:
        start, sep, end = item.partition("-")
        if not sep:
            raise ImproperlyConfigured(f"WORK_PERIODS: {item!r} is not START-END (09:00-12:00)")
        period = Period(_parse_clock(start, "WORK_PERIODS"), _parse_clock(end, "WORK_PERIODS"))
        if period.start >= period.end:
            raise ImproperlyConfigured(f"WORK_PERIODS: {item!r} ends before it starts")
        periods.append(period)
    if not periods:
        raise ImproperlyConfigured("WORK_PERIODS is empty: at least one working period is needed")
    periods.sort(key=lambda p: p.start)
    for earlier, later in itertools.pairwise(periods):
        if later.start < earlier.end:
            raise ImproperlyConfigured(f"WORK_PERIODS: periods overlap at {later.start:%H:%M}")
    return tuple(periods)


def work_periods() -> tuple[Period, ...]:
    return parse_work_periods(tuple(settings.WORK_PERIODS))


# --- which days are working days -----------------------------------------------------------


@dataclass(frozen=True)
class _Overrides:
    days: dict[date, bool]
    years: frozenset[int]
    loaded_at: float


_lock = threading.Lock()
_overrides: _Overrides | None = None


def clear_calendar_cache(**_kwargs: Any) -> None:
    """Signal receiver and test helper: the next lookup rereads the override table."""
    global _overrides
    _overrides = None


def _calendar_overrides() -> _Overrides:
    global _overrides
    current = _overrides
    # Changes made in this process clear the cache at once (signal); a change made by another
    # process (the admin site vs. a task worker) is seen after WORK_CALENDAR_CACHE_SECONDS.
    # 0 keeps the table until a signal clears it: right for a single process such as the
    # test suite, where a reload in the middle of a test would change its query count.
    ttl = settings.WORK_CALENDAR_CACHE_SECONDS
    if current is not None and (not ttl or monotonic_time.monotonic() - current.loaded_at < ttl):
        return current
    from civicgrid.core.models import WorkCalendarDay

    with _lock:
        rows = dict(WorkCalendarDay.objects.values_list("date", "is_workday"))
        current = _Overrides(
            days=rows,
            years=frozenset(day.year for day in rows),
            loaded_at=monotonic_time.monotonic(),
        )
        _overrides = current
    return current


@lru_cache(maxsize=64)
def builtin_calendar_covers(year: int) -> bool:
    """Whether chinesecalendar knows the holidays of ``year``."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


# chinesecalendar validates every call against the min and max of its whole table, which
# dominated the cost of a deadline; its answer for a day never changes within a process.
@lru_cache(maxsize=8192)
def _builtin_is_workday(day: date) -> bool:
    if builtin_calendar_covers(day.year):
        return bool(chinese_calendar.is_workday(day))
    # An uncovered year is counted Monday–Friday; calendar_gap_warning tells the admins.
    return day.weekday() < 5


def is_workday(day: date) -> bool:
    override = _calendar_overrides().days.get(day)
    if override is not None:
        return override
    return _builtin_is_workday(day)


def calendar_covers(year: int) -> bool:
    """Whether ``year`` has a holiday schedule: built in, or entered in the admin table."""
    return builtin_calendar_covers(year) or year in _calendar_overrides().years


def calendar_gap_warning(today: date | None = None) -> str | None:
    """A warning for the command centre when this year's or, from 1 November, next year's
    holiday schedule is missing (deadlines then skip weekends only)."""
    today = today or timezone.localdate()
    years = [today.year] + ([today.year + 1] if today.month >= 11 else [])
    missing = [year for year in years if not calendar_covers(year)]
    if not missing:
        return None
    return gettext(
        "%(year)s 年的法定节假日和调休安排尚未录入工作日历,该年的办理时限暂时只按周末计算。"
        "请系统管理员按国务院办公厅公布的放假安排录入。"
    ) % {"year": missing[0]}


# --- arithmetic ----------------------------------------------------------------------------


def _local(moment: datetime) -> tuple[datetime, tzinfo]:
    if timezone.is_naive(moment):
        raise ValueError("working-time arithmetic needs timezone-aware datetimes")
    # The holiday calendar is China's whatever time zone a request may have activated.
    zone = timezone.get_default_timezone()
    return timezone.localtime(moment, zone), zone


# Guard against a calendar with no working day at all (every override a holiday).
_MAX_DAYS = 3 * 366


def _working_spans(day: date, zone: tzinfo) -> list[tuple[datetime, datetime]]:
    if not is_workday(day):
        return []
    return [
        (datetime.combine(day, p.start, tzinfo=zone), datetime.combine(day, p.end, tzinfo=zone))
        for p in work_periods()
    ]


def add_working_hours(start: datetime, hours: float) -> datetime:
    """The moment ``hours`` of working time after ``start``. A deadline that uses up a period
    exactly ends at that period's close (12:00, 17:30), not at the next opening."""
    if hours < 0:
        raise ValueError("hours must not be negative")
    local, zone = _local(start)
    remaining = timedelta(hours=hours)
    if not remaining:
        return start
    day = local.date()
    for _offset in range(_MAX_DAYS):
        for span_start, span_end in _working_spans(day, zone):
            begin = max(span_start, local)
            if begin >= span_end:
                continue
            available = span_end - begin
            if remaining <= available:
                return begin + remaining
            remaining -= available
        day += timedelta(days=1)
    raise ImproperlyConfigured("the work calendar has no working day in three years")


def _next_workday(day: date) -> date:
    for _offset in range(_MAX_DAYS):
        if is_workday(day):
            return day
        day += timedelta(days=1)
    raise ImproperlyConfigured("the work calendar has no working day in three years")


def add_working_days(start: datetime, days: int) -> datetime:
    """Close of business of the ``days``-th working day after the day of ``start``
    (``days=0``: close of business today, or of the next working day)."""
    if days < 0:
        raise ValueError("days must not be negative")
    local, zone = _local(start)
    day = local.date()
    if days == 0:
        day = _next_workday(day)
    for _n in range(days):
        day = _next_workday(day + timedelta(days=1))
    return datetime.combine(day, work_periods()[-1].end, tzinfo=zone)


def add_working_time(start: datetime, amount: float, unit: str) -> datetime:
    """Deadline ``amount`` working hours or working days after ``start`` (SLA rows store a
    number and a ``WorkUnit``)."""
    if unit == WorkUnit.HOURS:
        return add_working_hours(start, float(amount))
    if unit == WorkUnit.DAYS:
        if amount != int(amount):
            raise ValueError("working days must be a whole number")
        return add_working_days(start, int(amount))
    raise ValueError(f"unknown working-time unit {unit!r}")


def working_hours_between(start: datetime, end: datetime) -> float:
    """Working hours from ``start`` to ``end`` (negative when ``end`` is earlier)."""
    if end < start:
        return -working_hours_between(end, start)
    local_start, zone = _local(start)
    local_end, _zone = _local(end)
    total = timedelta()
    day = local_start.date()
    while day <= local_end.date():
        for span_start, span_end in _working_spans(day, zone):
            begin, finish = max(span_start, local_start), min(span_end, local_end)
            if begin < finish:
                total += finish - begin
        day += timedelta(days=1)
    return total.total_seconds() / 3600


def deadline_state(
    due: datetime | None, now: datetime | None = None, *, started: datetime | None = None
) -> DeadlineState | None:
    """On time, due soon or overdue. Due soon: less than ``DEADLINE_DUE_SOON_PERCENT`` of the
    allowed working time left, or, when the start is unknown, less than
    ``DEADLINE_DUE_SOON_MINUTES`` of working time."""
    if due is None:
        return None
    now = now or timezone.now()
    if now > due:
        return DeadlineState.OVERDUE
    left = working_hours_between(now, due)
    allowed = working_hours_between(started, due) if started is not None else 0.0
    if allowed > 0:
        soon = left < allowed * settings.DEADLINE_DUE_SOON_PERCENT / 100
    else:
        soon = left < settings.DEADLINE_DUE_SOON_MINUTES / 60
    return DeadlineState.DUE_SOON if soon else DeadlineState.ON_TIME


# --- the admin table -----------------------------------------------------------------------

_TYPES = {"休": False, "holiday": False, "班": True, "workday": True}


def work_calendar_import(*, text: str, by: Any = None) -> ImportReport:
    """Enter a published holiday schedule from CSV ``date,type,note`` (type 休/班 or
    holiday/workday). Bad rows are reported with their line and skipped, good rows are kept;
    running the same file again changes nothing."""
    from civicgrid.core.models import WorkCalendarDay

    report = ImportReport()
    parsed: dict[date, tuple[bool, str]] = {}
    first_line: dict[date, int] = {}
    for line, cells in csv_rows(text):
        cells = [*cells, "", "", ""][:3]
        raw_date, raw_type, note = cells
        if line == 1 and raw_date.lower() in {"date", "日期"}:
            continue
        try:
            day = date.fromisoformat(raw_date.replace("/", "-"))
        except ValueError:
            report.error(line, "date", raw_date, gettext("日期格式应为 2027-01-01"))
            continue
        kind = _TYPES.get(raw_type.lower())
        if kind is None:
            report.error(line, "type", raw_type, gettext("类型应为 休、班、holiday 或 workday"))
            continue
        if len(note) > 50:
            report.error(line, "note", note, gettext("说明不能超过 50 个字"))
            continue
        if day in parsed:
            report.error(
                line,
                "date",
                raw_date,
                gettext("与第 %(line)s 行日期重复") % {"line": first_line[day]},
            )
            continue
        parsed[day] = (kind, note)
        first_line[day] = line

    existing = WorkCalendarDay.objects.in_bulk(list(parsed), field_name="date")
    new, changed = [], []
    for day, (kind, note) in parsed.items():
        row = existing.get(day)
        if row is None:
            new.append(WorkCalendarDay(date=day, is_workday=kind, note=note, entered_by=by))
        elif (row.is_workday, row.note) != (kind, note):
            row.is_workday, row.note, row.entered_by = kind, note, by
            row.entered_at = timezone.now()
            changed.append(row)
        else:
            report.unchanged += 1
    with transaction.atomic():
        WorkCalendarDay.objects.bulk_create(new)
        WorkCalendarDay.objects.bulk_update(
            changed, ["is_workday", "note", "entered_by", "entered_at"]
        )
        # Bulk writes send no post_save: clear this process's cache now (this transaction
        # sees the rows) and again once other transactions can see them.
        clear_calendar_cache()
        transaction.on_commit(clear_calendar_cache)
    report.created, report.updated = len(new), len(changed)
    return report
