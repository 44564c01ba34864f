"""Reads for cases: scoped access, work queues, duplicate suggestions, timelines."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pyproj import Geod

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import Department
from civicgrid.cases.choices import OPEN_STATUSES, CaseStatus, Stage
from civicgrid.cases.hooks import dispatch_candidates
from civicgrid.cases.models import Case, CaseEvent, Category
from civicgrid.cases.querysets import CaseQuerySet
from civicgrid.cases.workflow import dispatch_departments, may_act_on
from civicgrid.core.scoping import access_object, prefix_q, starts_with_q
from civicgrid.geo.codes import ancestor_codes

S = CaseStatus
_GEOD = Geod(ellps="WGS84")
_TIMED = [Stage.ACCEPT, Stage.DISPATCH, Stage.HANDLE, Stage.VERIFY]
# A list row names its grid; the grid's polygon (kilobytes of GeoJSON) is never shown there
# (docs/architecture.md "City scale").
LIST_DEFERRED = ("grid__geometry",)


def access_case(user: Any, pk: Any, *, for_write: bool = False) -> Case:
    """The case if ``user`` may see it (404 otherwise, the same as missing); with
    ``for_write`` 403 when they may see it but not act on it (an auditor, a department that
    returned it)."""
    case = access_object(
        Case.objects.select_related(
            "category", "category__parent", "grid", "department", "reporter", "first_owner",
            "assignee", "merged_into",
        ),
        user,
        pk,
    )  # fmt: skip
    if for_write and not may_act_on(case, user):
        raise PermissionDenied
    return case


@dataclass(frozen=True)
class Queue:
    key: str
    label: Any
    query: Q
    roles: frozenset[str]


def _queues(now: datetime) -> list[Queue]:
    desk = frozenset({Role.SECRETARY, Role.CADRE, Role.COMMAND, Role.SYSADMIN})
    everyone = frozenset(
        {Role.SECRETARY, Role.CADRE, Role.COMMAND, Role.SYSADMIN, Role.GRID_WORKER, Role.DEPARTMENT}
    )
    return [
        Queue("to_accept", _("待受理"), Q(status=S.REPORTED), desk),
        Queue("to_route", _("待分流"), Q(status=S.ACCEPTED), desk),
        Queue("to_dispatch", _("待派遣"), Q(status=S.TO_DISPATCH), frozenset({Role.COMMAND, Role.SYSADMIN})),
        Queue("to_sign", _("待签收"), Q(status=S.DISPATCHED), frozenset({Role.DEPARTMENT, Role.COMMAND, Role.SYSADMIN})),
        Queue(
            "to_handle", _("待处置"),
            Q(status__in=[S.COMMUNITY, S.COUNCIL, S.HANDLING, S.EXTENSION_PENDING]),
            frozenset({Role.DEPARTMENT, Role.SECRETARY, Role.CADRE, Role.SYSADMIN}),
        ),
        Queue("extensions", _("延期待审批"), Q(status=S.EXTENSION_PENDING), frozenset({Role.COMMAND, Role.SYSADMIN})),
        Queue("to_verify", _("待核查"), Q(status=S.TO_VERIFY), frozenset({Role.GRID_WORKER, Role.CADRE, Role.SYSADMIN})),
        Queue("overdue", _("已超期"), Q(status__in=OPEN_STATUSES, stage__in=_TIMED, stage_due_at__lt=now), everyone),
        Queue("supervised", _("督办中"), Q(status__in=OPEN_STATUSES, supervised=True), everyone),
    ]  # fmt: skip


def queues_for(user: Any, now: datetime | None = None) -> list[Queue]:
    """The "my work" queues that make sense for the user's role."""
    role = Role.SYSADMIN if user.sees_everything else user.role
    return [q for q in _queues(now or timezone.now()) if role in q.roles]


def _mine(user: Any) -> CaseQuerySet:
    cases = Case.objects.visible_to(user)
    if user.role == Role.DEPARTMENT:
        # A department's queues hold what it has now, not what it once returned.
        cases = cases.filter(department_id=user.department_id)
    return cases


def case_queue(user: Any, key: str, now: datetime | None = None) -> CaseQuerySet:
    """Cases of one queue (``Queue.key``) for the user, ready for a list page."""
    for queue in queues_for(user, now):
        if queue.key == key:
            return (
                _mine(user)
                .filter(queue.query)
                .with_list_relations()
                .defer(*LIST_DEFERRED)
                .order_by("stage_due_at", "id")
            )
    return Case.objects.none()


def queue_counts(user: Any, now: datetime | None = None) -> dict[str, int]:
    """Size of each of the user's queues, in one query."""
    queues = queues_for(user, now)
    if not queues:
        return {}
    # Every queue holds open cases only: counting among those reads the open-case index, not
    # every case the jurisdiction ever had (1.9-5.8 s for a city of 8 M cases).
    cases = _mine(user).filter(status__in=OPEN_STATUSES)
    return cases.aggregate(**{q.key: Count("id", filter=q.query) for q in queues})


# How next_case_number writes them: the grid (or place) code, the day, the count of the day.
CASE_NUMBER = re.compile(r"\d{6,15}-\d{8}-\d{4,}")


def case_list(user: Any, *, now: datetime | None = None, **filters: Any) -> CaseQuerySet:
    """Scoped, filtered case list (status, category, grid, department, open, overdue, channel,
    date range) with the relations a list row shows."""
    cases = Case.objects.visible_to(user).with_list_relations().defer(*LIST_DEFERRED)
    if filters.get("number"):
        number = str(filters["number"]).strip()
        # A whole number (from the reporter's SMS) is one unique-index lookup; a beginning
        # (the grid and the day) is a prefix over the visible cases.
        whole = CASE_NUMBER.fullmatch(number)
        cases = cases.filter(number=number) if whole else cases.filter(number__startswith=number)
    if filters.get("status"):
        cases = cases.filter(status=filters["status"])
    if filters.get("category"):
        code = str(filters["category"])
        cases = cases.filter(Q(category__code=code) | Q(category__parent__code=code))
    if filters.get("grid"):
        cases = cases.filter(starts_with_q("grid_code", str(filters["grid"])))
    if filters.get("department"):
        cases = cases.filter(department_id=filters["department"])
    if filters.get("open"):
        cases = cases.open()
    if filters.get("overdue"):
        cases = cases.overdue(now or timezone.now())
    if filters.get("channel"):
        cases = cases.filter(channel=filters["channel"])
    if filters.get("supervised"):
        cases = cases.filter(supervised=True)
    if filters.get("date_from"):
        cases = cases.filter(reported_at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        cases = cases.filter(reported_at__date__lte=filters["date_to"])
    return cases


def case_timeline(case: Case) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.filter(case=case).timeline().prefetch_related("photos")


def categories_tree() -> list[Category]:
    """Current 大类 with their current 小类 prefetched as ``current_children``."""
    from django.db.models import Prefetch

    return list(
        Category.objects.current()
        .majors()
        .prefetch_related(
            Prefetch("children", queryset=Category.objects.current(), to_attr="current_children")
        )
    )


def dispatch_members(case: Case) -> list[Any]:
    """The people the command centre may name as the handler when it dispatches ``case``,
    decided once for the dispatch form and the API: the department accounts that the apps
    above offer through ``hooks.dispatch_candidates`` (the current members of the case grid's
    team), kept only when their department may receive the case (``dispatch_departments``:
    current departments of the case's place). Whether the person belongs to the department
    actually chosen is the caller's check, told in its own words."""
    allowed = set(dispatch_departments(case).values_list("pk", flat=True))
    return [u for u in dispatch_candidates(case) if u.department_id in allowed]


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Geodesic distance on the WGS84 ellipsoid."""
    return float(_GEOD.inv(lng1, lat1, lng2, lat2)[2])


def duplicate_candidates(
    *, category: Category, lat: float | None, lng: float | None, at: datetime | None = None
) -> list[Case]:
    """Open cases of the same category reported within ``CASE_DUPLICATE_WINDOW_HOURS``
    before ``at`` and within ``CASE_DUPLICATE_RADIUS_M`` metres, nearest first; each gets a
    ``distance_m`` attribute. Not scoped: the caller decides what the user may see."""
    if lat is None or lng is None:
        return []
    at = at or timezone.now()
    radius = float(getattr(settings, "CASE_DUPLICATE_RADIUS_M", 100))
    hours = float(getattr(settings, "CASE_DUPLICATE_WINDOW_HOURS", 72))
    # A bounding box in degrees narrows the rows; the geodesic distance decides.
    dlat = radius / 110_000
    dlng = radius / (110_000 * max(math.cos(math.radians(lat)), 0.01))
    rows = (
        Case.objects.open()
        .filter(
            category=category,
            reported_at__gte=at - timedelta(hours=hours),
            reported_at__lte=at,
            lat__range=(lat - dlat, lat + dlat),
            lng__range=(lng - dlng, lng + dlng),
            merged_into__isnull=True,
        )
        .select_related("category")
    )
    found = []
    for case in rows:
        if case.lat is None or case.lng is None:
            continue
        d = distance_m(lat, lng, case.lat, case.lng)
        if d <= radius:
            case.distance_m = round(d, 1)
            found.append(case)
    return sorted(found, key=lambda c: c.distance_m)  # type: ignore[attr-defined]


def departments_serving(codes: list[str]) -> QuerySet[Department]:
    """Current departments that can hold cases of the divisions ``codes``: those of the
    divisions themselves, of the divisions above them (district, city) and below them."""
    above = {prefix for code in codes for prefix in (*ancestor_codes(code), code)}
    return Department.objects.filter(
        Q(region_code__in=above) | prefix_q("region_code", codes), retired_on__isnull=True
    )
