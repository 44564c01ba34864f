"""Every measure, defined once (docs/architecture.md "Assessment").

A measure is one or more ``Part``: a queryset of source rows (mostly ``CaseEvent``) plus which
field gives its day and how to read its region, category, department and person. The rollup
groups a part by those five dimensions in the database (``values().annotate(Count)``: no
per-event Python loop); the drill-down uses the very same queryset for a subject and period to
list the cases behind a number. So a figure and its drill-down can never disagree.

Attribution decisions (what a newcomer needs to know):

- Days are local (``settings.TIME_ZONE``) days of the event, except ``due_to_close``,
  ``deferred`` and ``closed_on_time``, which sit on the day the handling deadline fell, so that
  按期结案率 = closed_on_time / (due_to_close − deferred) compares like with like.
- A "handling stretch" is the time a case spends in the handle stage with one deadline. It is
  *due* once, on its deadline day, when it ends by feedback, 缓办 or 挂账 or is still running;
  a stretch the department returns (回退) is not due (the case is dispatched again and gets a
  new stretch). A reworked case therefore owes a second closing, and a reopened case too.
- ``reworked`` counts a case once: only its first rework event counts, so summing any period
  gives each case at most once (in the period of its first rework).
- ``reported_valid`` sits on the report day and counts the reports not voided *by the time of
  the rollup*; the rollup recomputes the recent days, so a later void lowers that day until
  the month is frozen.
- ``missed`` (漏报): a report in a grid with a grid worker, made by somebody who is not a
  grid worker of that grid; it is attributed to the grid's worker.
- ``sent_to_verify`` / ``confirmed_on_time`` (按时核实率) sit on the day the case was sent
  to verification and belong to the grid's worker: of the cases sent, those the worker
  verified by the verification deadline. The day's numerator grows when the check arrives,
  which the rollup's recount of the open months picks up.
- ``visits_due`` / ``visits_due_done`` (走访完成率) are the visits the visit rules made due,
  on their due day, and of those the ones made by that day (field work's ``visit_schedule``
  defines both); they belong to the grid's worker like 漏报.
- ``department`` on handling measures is the department the case was with (the last
  dispatch not followed by a return, re-routing or reopening), not the actor's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models import IntegerField as IntField
from django.db.models.functions import TruncDate

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import Scope
from civicgrid.cases.choices import STAGE_OF_STATUS, Action, CaseStatus, Satisfaction, Stage
from civicgrid.cases.models import CaseEvent
from civicgrid.fieldwork.choices import ComplianceStatus
from civicgrid.fieldwork.models import DailyCompliance, Visit

A = Action
HANDLE_STATUSES = [s for s, stage in STAGE_OF_STATUS.items() if stage == Stage.HANDLE]


def local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[local midnight of ``start``, local midnight after ``end``)."""
    tz = local_tz()
    return (
        datetime.combine(start, time.min, tzinfo=tz),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz),
    )


@dataclass(frozen=True)
class Part:
    """One source of a measure. ``when`` is the datetime (or, with ``is_date``, date) field the
    day is read from; the dimension fields are names or expressions built on ``base()``."""

    base: Callable[[], QuerySet[Any]]
    when: str = "at"
    is_date: bool = False
    region: str = "case__grid_code"
    category: str | None = "case__category_id"
    department: Callable[[], Any] | str | None = None
    worker: Callable[[], Any] | str | None = "actor_id"
    case: str | None = "case_id"

    def _expr(self, spec: Callable[[], Any] | str | None) -> Any:
        if spec is None:
            return Value(None, output_field=IntField())
        if callable(spec):
            return spec()
        return F(spec)

    def rows(self, start: date, end: date) -> QuerySet[Any]:
        """The source rows of the local days [start, end], annotated with the dimensions as
        ``f_day, f_region, f_category, f_department, f_worker`` (and ``f_case``)."""
        qs = self.base()
        if self.is_date:
            qs = qs.filter(**{f"{self.when}__gte": start, f"{self.when}__lte": end})
            day: Any = F(self.when)
        else:
            low, high = day_bounds(start, end)
            qs = qs.filter(**{f"{self.when}__gte": low, f"{self.when}__lt": high})
            day = TruncDate(self.when, tzinfo=local_tz())
        return qs.annotate(
            f_day=day,
            f_region=F(self.region),
            f_category=self._expr(self.category),
            f_department=self._expr(self.department),
            f_worker=self._expr(self.worker),
            f_case=self._expr(self.case),
        )


Counts = dict[tuple[Any, ...], int]


@dataclass(frozen=True)
class Measure:
    """Counted from ``parts`` in the database, or, for a figure no table holds row by row
    (the visits that fell due), by ``counter(start, end)`` giving the same
    ``{(day, region, category, department, worker): n}`` the grouped parts give."""

    code: str
    label: str
    parts: tuple[Part, ...] = field(default_factory=tuple)
    about_cases: bool = True
    counter: Callable[[date, date], Counts] | None = None


# --- dimension helpers ---------------------------------------------------------------------


def handling_department() -> Subquery:
    """The department the case was with at the event: the last dispatch, unless a return,
    re-routing or reopening came after it (those carry no department, so NULL)."""
    before = Q(at__lt=OuterRef("at")) | Q(at=OuterRef("at"), id__lte=OuterRef("id"))
    latest = (
        CaseEvent.objects.filter(
            before,
            case_id=OuterRef("case_id"),
            action__in=[A.DISPATCH, A.RETURN, A.REOPEN, A.ROUTE],
        )
        .order_by("-at", "-id")
        .values("to_department_id")[:1]
    )
    return Subquery(latest, output_field=IntField())


def _grid_workers(code_ref: str) -> QuerySet[Any]:
    return Scope.objects.filter(
        code=OuterRef(code_ref),
        retired_on__isnull=True,
        user__role=Role.GRID_WORKER,
        user__is_active=True,
    )


def grid_worker() -> Subquery:
    """The (first) active grid worker of the case's grid."""
    return Subquery(
        _grid_workers("case__grid_code").order_by("user_id").values("user_id")[:1],
        output_field=IntField(),
    )


def grid_workers(codes: Iterable[str | None]) -> dict[str, int]:
    """``grid_worker`` for many grids at once: {grid code: its (first) active grid worker}."""
    workers: dict[str, int] = {}
    for code, user_id in (
        Scope.objects.filter(
            code__in={c for c in codes if c},
            retired_on__isnull=True,
            user__role=Role.GRID_WORKER,
            user__is_active=True,
        )
        .order_by("code", "user_id")
        .values_list("code", "user_id")
    ):
        workers.setdefault(code, user_id)
    return workers


# --- sources ------------------------------------------------------------------------------


def events(**filters: Any) -> Callable[[], QuerySet[Any]]:
    return lambda: CaseEvent.objects.filter(**filters)


def _reports_valid() -> QuerySet[Any]:
    voided = CaseEvent.objects.filter(case_id=OuterRef("case_id"), action=A.VOID)
    return CaseEvent.objects.filter(action=A.REPORT).filter(~Exists(voided))


def _reports_in_worked_grid() -> QuerySet[Any]:
    return CaseEvent.objects.filter(action=A.REPORT).filter(
        Exists(_grid_workers("case__grid_code"))
    )


def _reports_missed() -> QuerySet[Any]:
    own = _grid_workers("case__grid_code").filter(user_id=OuterRef("actor_id"))
    return _reports_in_worked_grid().filter(~Exists(own))


def _first_rework() -> QuerySet[Any]:
    earlier = CaseEvent.objects.filter(
        Q(at__lt=OuterRef("at")) | Q(at=OuterRef("at"), id__lt=OuterRef("id")),
        case_id=OuterRef("case_id"),
        action=A.REWORK,
    )
    return CaseEvent.objects.filter(action=A.REWORK).filter(~Exists(earlier))


def _handle_ends() -> QuerySet[Any]:
    """Events that ended a handling stretch that was due (feedback, 缓办, 挂账)."""
    return CaseEvent.objects.filter(
        stage=Stage.HANDLE,
        action__in=[A.FEEDBACK, A.DEFER, A.HOLD],
        deadline__isnull=False,
    )


def _handle_running() -> QuerySet[Any]:
    """The latest event of each case still in a handling stretch (its deadline in force)."""
    later = CaseEvent.objects.filter(
        Q(at__gt=OuterRef("at")) | Q(at=OuterRef("at"), id__gt=OuterRef("id")),
        case_id=OuterRef("case_id"),
    )
    return CaseEvent.objects.filter(
        to_status__in=HANDLE_STATUSES, next_deadline__isnull=False
    ).filter(~Exists(later))


def _disposed_due() -> QuerySet[Any]:
    """Handling stretches that ended with a feedback (处置), on their deadline day: the part of
    ``due_to_close`` that was handled, so 处置率 compares one cohort and never passes 100 %."""
    return CaseEvent.objects.filter(stage=Stage.HANDLE, action=A.FEEDBACK, deadline__isnull=False)


def _closed_due() -> QuerySet[Any]:
    """Of those, the ones whose following check passed (结案), on and off time alike."""
    next_check = (
        CaseEvent.objects.filter(
            Q(at__gt=OuterRef("at")) | Q(at=OuterRef("at"), id__gt=OuterRef("id")),
            case_id=OuterRef("case_id"),
            stage=Stage.VERIFY,
        )
        .order_by("at", "id")
        .values("action")[:1]
    )
    return _disposed_due().annotate(next_check=Subquery(next_check)).filter(next_check=A.VERIFY)


def _closed_on_time() -> QuerySet[Any]:
    """Of those, the feedback given by its deadline: the stretch closed on time. Sits on the
    deadline day, like ``due_to_close``."""
    return _closed_due().filter(on_time=True)


def _sent_to_verify() -> QuerySet[Any]:
    """Cases sent to verification (核实): each handling feedback puts the case before its grid
    worker with a verification deadline (``next_deadline``)."""
    return CaseEvent.objects.filter(action=A.FEEDBACK, to_status=CaseStatus.TO_VERIFY)


def _confirmed_on_time() -> QuerySet[Any]:
    """Of those, the ones the grid's own worker verified (passed or sent back for rework) by
    the verification deadline: the first verify-stage event after the feedback was on time and
    its actor is a grid worker of the case's grid. A check by the cadre instead, a late check
    and a case still waiting all count against the worker (按时核实率)."""
    next_check = CaseEvent.objects.filter(
        Q(at__gt=OuterRef("at")) | Q(at=OuterRef("at"), id__gt=OuterRef("id")),
        case_id=OuterRef("case_id"),
        stage=Stage.VERIFY,
    ).order_by("at", "id")
    own = _grid_workers("case__grid_code").filter(user_id=OuterRef("checker"))
    return (
        _sent_to_verify()
        .annotate(
            check_on_time=Subquery(next_check.values("on_time")[:1]),
            checker=Subquery(next_check.values("actor_id")[:1], output_field=IntField()),
        )
        .filter(check_on_time=True)
        .filter(Exists(own))
    )


def _compliance(**filters: Any) -> Callable[[], QuerySet[Any]]:
    return lambda: DailyCompliance.objects.filter(**filters)


def _visits_due(*, done_only: bool) -> Callable[[date, date], Counts]:
    """Visits that fell due by the visit rules (field work's ``visit_schedule``), on their due
    day, in the person's grid and attributed to that grid's worker; ``done_only``: those made
    by the due day. Both come from one walk, so done ≤ due on every day."""

    def count(start: date, end: date) -> Counts:
        from civicgrid.fieldwork.visit_schedule import due_occurrences

        occurrences = [o for o in due_occurrences(start, end) if o.done or not done_only]
        workers = grid_workers(o.grid_code for o in occurrences)
        counts: Counts = {}
        for o in occurrences:
            key = (o.day, o.grid_code, None, None, workers.get(o.grid_code))
            counts[key] = counts.get(key, 0) + 1
        return counts

    return count


def _m(code: str, label: str, *parts: Part, about_cases: bool = True) -> Measure:
    return Measure(code, label, tuple(parts), about_cases)


HD = handling_department
OWN_DEPT = "actor_department_id"
SATISFIED = [Satisfaction.SATISFIED, Satisfaction.BASIC]

MEASURES_LIST: tuple[Measure, ...] = (
    _m("reported", "上报数", Part(events(action=A.REPORT))),
    _m("reported_valid", "有效上报数", Part(_reports_valid)),
    _m(
        "grid_reported", "网格内上报数(归网格员)", Part(_reports_in_worked_grid, worker=grid_worker)
    ),
    _m("missed", "漏报数", Part(_reports_missed, worker=grid_worker)),
    _m("accepted", "立案数", Part(events(action=A.ACCEPT))),
    _m("accepted_on_time", "按时立案数", Part(events(action=A.ACCEPT, on_time=True))),
    _m("voided", "注销数", Part(events(action=A.VOID))),
    _m(
        "merged_after_accept",
        "立案后合并数",
        Part(events(action=A.MERGE, from_status__in=[CaseStatus.ACCEPTED, CaseStatus.TO_DISPATCH])),
    ),
    _m("dispatched", "派遣数", Part(events(action=A.DISPATCH), department="to_department_id")),
    _m(
        "dispatched_on_time",
        "按时派遣数",
        Part(events(action=A.DISPATCH, on_time=True), department="to_department_id"),
    ),
    _m("returned", "回退数", Part(events(action=A.RETURN), department=OWN_DEPT)),
    _m("disposed", "处置数", Part(events(action=A.FEEDBACK), department=HD)),
    _m(
        "disposed_on_time",
        "按时处置数",
        Part(events(action=A.FEEDBACK, on_time=True), department=HD),
    ),
    _m("reworked", "返工案件数", Part(_first_rework, department=HD)),
    _m(
        "extension_requested",
        "申请延期数",
        Part(events(action=A.REQUEST_EXTENSION), department=OWN_DEPT),
    ),
    _m("extended", "延期数", Part(events(action=A.APPROVE_EXTENSION), department=HD)),
    _m(
        "deferred",
        "缓办数",
        Part(
            events(action=A.DEFER, stage=Stage.HANDLE, deadline__isnull=False),
            when="deadline",
            department=HD,
            worker=None,
        ),
    ),
    _m("closed", "结案数", Part(events(action=A.VERIFY), department=HD)),
    _m(
        "closed_on_time",
        "按期结案数",
        Part(_closed_on_time, when="deadline", department=HD, worker=None),
    ),
    _m(
        "disposed_due",
        "应处置中已处置数",
        Part(_disposed_due, when="deadline", department=HD, worker=None),
    ),
    _m(
        "closed_due",
        "应结案中已结案数",
        Part(_closed_due, when="deadline", department=HD, worker=None),
    ),
    _m(
        "due_to_close",
        "应结案数",
        Part(_handle_ends, when="deadline", department=HD, worker=None),
        Part(_handle_running, when="next_deadline", department=HD, worker=None),
    ),
    _m(
        "sent_to_verify",
        "送核实数(归网格员)",
        Part(_sent_to_verify, department=None, worker=grid_worker),
    ),
    _m(
        "confirmed_on_time",
        "按时核实数",
        Part(_confirmed_on_time, department=None, worker=grid_worker),
    ),
    _m("verified", "核查数", Part(events(stage=Stage.VERIFY), department=HD)),
    _m(
        "verified_on_time",
        "按时核查数",
        Part(events(stage=Stage.VERIFY, on_time=True), department=HD),
    ),
    _m("evaluated", "评价数", Part(events(action=A.EVALUATE), department=HD, worker=None)),
    _m(
        "satisfied",
        "满意数",
        Part(
            events(action=A.EVALUATE, data__satisfaction__in=SATISFIED), department=HD, worker=None
        ),
    ),
    _m("reopened", "重办数", Part(events(action=A.REOPEN), department=HD, worker=None)),
    _m(
        "patrol_days",
        "应巡天数",
        Part(
            _compliance(),
            when="day",
            is_date=True,
            region="grid_code",
            category=None,
            worker="worker_id",
            case=None,
        ),
        about_cases=False,
    ),
    _m(
        "patrol_compliant_days",
        "双巡达标天数",
        Part(
            _compliance(status=ComplianceStatus.COMPLIANT),
            when="day",
            is_date=True,
            region="grid_code",
            category=None,
            worker="worker_id",
            case=None,
        ),
        about_cases=False,
    ),
    _m(
        "visits_done",
        "走访次数",
        Part(
            lambda: Visit.objects.all(),
            when="visited_at",
            region="grid_code",
            category=None,
            worker="worker_id",
            case=None,
        ),
        about_cases=False,
    ),
)

MEASURES_LIST += (
    Measure("visits_due", "应走访次数", about_cases=False, counter=_visits_due(done_only=False)),
    Measure(
        "visits_due_done", "按时走访次数", about_cases=False, counter=_visits_due(done_only=True)
    ),
)

MEASURES: dict[str, Measure] = {m.code: m for m in MEASURES_LIST}
