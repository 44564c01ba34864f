"""Field-work pages: the grid worker's patrol page (phone), the 一日双巡 calendar and list, the
supervision flags, the on-duty map and a patrol's page.

The phone page talks to the JSON API (/api/v1/fieldwork/) for start, track upload and end, so
the page and a future offline app use the same operations; reporting a problem found on patrol
is a plain form posting here, which calls ``services.patrol_report_case``. Every view declares
its policy (docs/architecture.md "One way in"); tracks are personal data (PIPL art. 28): lists
come from ``visible_to``, a patrol from ``access_patrol``, and viewing another person's track is
audited by ``selectors.patrol_track``.
"""

from __future__ import annotations

import calendar
import uuid
from datetime import date, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig, TooManyFilesSent, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from civicgrid.accounts.choices import LEDGER_READERS, TRACK_READERS, WRITE_ROLES, Role
from civicgrid.accounts.models import User
from civicgrid.cases.forms import CategoryChoiceField, PhotosField
from civicgrid.core.files import protected_file_response
from civicgrid.core.pagination import paginate
from civicgrid.core.policy import LIST, OBJECT, policy
from civicgrid.core.scoping import starts_with_q
from civicgrid.fieldwork import selectors, services
from civicgrid.fieldwork.choices import ComplianceStatus, VisitPurpose
from civicgrid.fieldwork.models import Patrol, VisitPhoto
from civicgrid.fieldwork.presenters import (
    present_compliance,
    present_flag,
    present_patrol,
    present_visit,
)
from civicgrid.fieldwork.visits import CORRECTABLE_PERSON_FIELDS, visit_record
from civicgrid.geo.choices import LENGTH_BY_LEVEL, Level
from civicgrid.geo.models import Grid, Region
from civicgrid.geo.selectors import above_community, wider_than_community
from civicgrid.registry import selectors as registry_selectors
from civicgrid.registry.choices import Presence

# Who walks patrols: only grid workers start, upload, end and report from one.
WORKERS = frozenset({Role.GRID_WORKER})
# Who supervises field work in a jurisdiction: the track readers but the grid worker, who has
# their own calendar and patrol page and no business with colleagues' tracks.
SUPERVISORS = TRACK_READERS - {Role.GRID_WORKER}

BROKEN_UPLOAD = gettext_lazy("提交的内容无法解析(可能上传中断),请重新填写后提交。")
BAD_DAY = gettext_lazy("日期格式应为 YYYY-MM-DD,已显示今天。")
MAX_SPAN_DAYS = 92


class PatrolReportForm(forms.Form):
    """A problem found on patrol: words, category, photo; the place is the phone's last fix
    (hidden inputs filled by the page) or an address typed in."""

    category = CategoryChoiceField()
    description = forms.CharField(
        label=gettext_lazy("问题描述"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("请描述问题")},
    )
    urgent = forms.BooleanField(label=gettext_lazy("紧急"), required=False)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, widget=forms.HiddenInput)
    address = forms.CharField(label=gettext_lazy("地点"), max_length=200, required=False)
    photos = PhotosField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = self.fields["category"].grouped_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("lat") is None) != (data.get("lng") is None):
            data["lat"] = data["lng"] = None
        # Without a fix the service takes the patrol's last point; the intake itself refuses a
        # report with no place at all, and that message is shown on the form.
        return data


def _day(request: HttpRequest, name: str = "day", *, default_back: int = 0) -> tuple[date, bool]:
    """The ``?day=`` asked for, or today less ``default_back`` days; the flag says whether the
    input was unreadable."""
    raw = (request.GET.get(name) or "").strip()
    today = timezone.localdate() - timedelta(days=default_back)
    if not raw:
        return today, False
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return today, True
    # Days far off would overflow the previous/next links and name no patrol anyway.
    if not 2000 <= day.year <= 2100:
        return today, True
    return day, False


def _map_context() -> dict[str, Any]:
    return {
        "center": settings.MAP_CENTER,
    }


def _api_base() -> str:
    return reverse("api:api-root") + "fieldwork/"


def _open_patrol(user: Any) -> Patrol | None:
    return (
        Patrol.objects.visible_to(user)
        .filter(worker=user, ended_at__isnull=True)
        .select_related("grid")
        .first()
    )


@require_GET
@policy(roles=WORKERS, scope=LIST)
def patrol(request: HttpRequest) -> HttpResponse:
    """The phone page: start/end, live figures, points waiting, 上报问题."""
    user: Any = request.user
    current = _open_patrol(user)
    recent = (
        Patrol.objects.visible_to(user)
        .filter(ended_at__isnull=False)
        .select_related("worker", "grid")
        .annotate(flag_count=Count("flags"))
        .order_by("-started_at")[:5]
    )
    return render(
        request,
        "fieldwork/patrol.html",
        {
            "current": present_patrol(current, user=user) if current else None,
            "current_obj": current,
            "recent": [present_patrol(p, user=user) for p in recent],
            "api_base": _api_base(),
            "has_grid": any(len(code) == 15 for code in user.scope_codes),
            "form": PatrolReportForm(),
            "map_center": settings.MAP_CENTER,
        },
    )


def _posted(request: HttpRequest) -> tuple[Any, Any] | None:
    try:
        return request.POST, request.FILES
    except (MultiPartParserError, TooManyFilesSent, RequestDataTooBig):
        return None


def _placed(form: PatrolReportForm, found: Patrol) -> bool:
    """A report needs a place: the phone's fix, an address, or at least the patrol's last
    point (which the service then uses)."""
    data = form.cleaned_data
    if data.get("lat") is not None or (data.get("address") or "").strip():
        return True
    return found.points.exists()


@require_http_methods(["GET", "POST"])
@policy(roles=WORKERS, scope=OBJECT)
def patrol_report(request: HttpRequest, pk: int) -> HttpResponse:
    """上报问题 from a patrol: the case goes through ``case_report`` and is linked to it."""
    user: Any = request.user
    found = selectors.access_patrol(user, pk)
    if found.worker_id != user.pk:
        raise Http404
    status = 200
    if request.method == "POST":
        posted = _posted(request)
        if posted is None:
            messages.error(request, BROKEN_UPLOAD)
            form = PatrolReportForm()
            status = 400
        else:
            form = PatrolReportForm(posted[0], posted[1])
            if form.is_valid() and not _placed(form, found):
                form.add_error("address", _("还没有取得定位,请填写地点"))
            if form.is_valid():
                data = form.cleaned_data
                try:
                    case = services.patrol_report_case(
                        patrol=found,
                        actor=user,
                        category=data["category"],
                        description=data["description"],
                        lat=data["lat"],
                        lng=data["lng"],
                        address=data["address"],
                        photos=data["photos"] or (),
                        urgent=data["urgent"],
                    )
                except ValidationError as exc:
                    for message in exc.messages:
                        form.add_error(None, message)
                else:
                    messages.success(
                        request, _("已上报,事件编号 %(number)s。") % {"number": case.number}
                    )
                    if found.ended_at is None:
                        return redirect("fieldwork:patrol")
                    return redirect("fieldwork:detail", pk=found.pk)
            status = 400
    else:
        form = PatrolReportForm()
    return render(
        request,
        "fieldwork/patrol_report.html",
        {"form": form, "patrol": present_patrol(found, user=user), "patrol_obj": found},
        status=status,
    )


@require_GET
@policy(roles=TRACK_READERS, scope=OBJECT)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A patrol's figures, its flags and its track on a map (the view of the track is audited
    when it is not the viewer's own)."""
    user: Any = request.user
    found = selectors.access_patrol(user, pk)
    points = selectors.patrol_track(user, found, request=request)
    track = [
        {
            "at": p["at"].isoformat() if hasattr(p["at"], "isoformat") else p["at"],
            "lat": p["lat"],
            "lng": p["lng"],
        }
        for p in points
    ]
    return render(
        request,
        "fieldwork/patrol_detail.html",
        {
            "patrol": present_patrol(found, user=user),
            "patrol_obj": found,
            "flags": [present_flag(f) for f in found.flags.order_by("at", "pk")],
            "track": track,
            "grid_geometry": found.grid.geometry,
            **_map_context(),
            "own": found.worker_id == user.pk,
            "findings": found.findings.select_related("case").order_by("pk"),
        },
    )


def _month(request: HttpRequest) -> tuple[int, int, bool]:
    today = timezone.localdate()
    raw = (request.GET.get("month") or "").strip()
    if not raw:
        return today.year, today.month, False
    try:
        year, month = (int(part) for part in raw.split("-"))
        date(year, month, 1)
    except ValueError:
        return today.year, today.month, True
    if not 2000 <= year <= 2100:
        return today.year, today.month, True
    return year, month, False


def _calendar(request: HttpRequest, viewer: Any, worker: User) -> HttpResponse:
    year, month, bad = _month(request)
    if bad:
        messages.warning(request, _("月份格式应为 YYYY-MM,已显示本月。"))
    rows = selectors.compliance_month(viewer, worker, year, month)
    by_day: dict[date, list[dict[str, Any]]] = {}
    for row in rows:
        by_day.setdefault(row.day, []).append(present_compliance(row))
    today = timezone.localdate()
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        cells = []
        for day in week:
            verdicts = by_day.get(day, [])
            statuses = {v["status"] for v in verdicts}
            # A day with several grids takes the worst verdict's colour.
            worst = next(
                (s for s in _SEVERITY if s in statuses), verdicts[0]["status"] if verdicts else ""
            )
            cells.append(
                {
                    "day": day,
                    "in_month": day.month == month,
                    "today": day == today,
                    "status": worst,
                    "verdicts": verdicts,
                }
            )
        weeks.append(cells)
    first = date(year, month, 1)
    previous = (first - timedelta(days=1)).replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.status] = counts.get(row.status, 0) + 1
    return render(
        request,
        "fieldwork/calendar.html",
        {
            "worker": worker,
            "own": worker.pk == viewer.pk,
            "month": first,
            "weeks": weeks,
            "previous": f"{previous:%Y-%m}",
            "following": f"{following:%Y-%m}",
            "legend": [
                {"status": value, "label": label, "count": counts.get(value, 0)}
                for value, label in ComplianceStatus.choices
            ],
            "weekdays": [_("一"), _("二"), _("三"), _("四"), _("五"), _("六"), _("日")],
        },
    )


# Worst first: a day's colour when one worker holds several grids.
_SEVERITY = [
    ComplianceStatus.NONE,
    ComplianceStatus.ONE_ONLY,
    ComplianceStatus.TOO_SHORT,
    ComplianceStatus.OUTSIDE,
    ComplianceStatus.COMPLIANT,
]


@require_GET
@policy(roles=WORKERS, scope=LIST)
def my_calendar(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    return _calendar(request, user, user)


@require_GET
@policy(roles=SUPERVISORS, scope=OBJECT)
def worker_calendar(request: HttpRequest, worker_id: int) -> HttpResponse:
    user: Any = request.user
    return _calendar(request, user, selectors.access_worker(user, worker_id))


@require_GET
@policy(roles=SUPERVISORS, scope=LIST)
def compliance(request: HttpRequest) -> HttpResponse:
    """One day's 一日双巡 verdicts of the jurisdiction, with counts per verdict. Verdicts are
    written after the day ends (patrol_compliance), so the page opens on yesterday."""
    user: Any = request.user
    day, bad = _day(request, default_back=1)
    if bad:
        messages.warning(request, BAD_DAY)
    rows = selectors.compliance_list(user, day)
    status = (request.GET.get("status") or "").strip()
    counted = dict(rows.order_by().values_list("status").annotate(n=Count("pk")))
    if status in ComplianceStatus.values:
        rows = rows.filter(status=status)
    else:
        status = ""
    page = paginate(request, rows)
    return render(
        request,
        "fieldwork/compliance.html",
        {
            "day": day,
            "previous": day - timedelta(days=1),
            "following": day + timedelta(days=1),
            "page": page,
            "rows": [present_compliance(row) for row in page.object_list],
            "status": status,
            "counts": [
                {"status": value, "label": label, "count": counted.get(value, 0)}
                for value, label in ComplianceStatus.choices
            ],
            "total": sum(counted.values()),
        },
    )


@require_GET
@policy(roles=SUPERVISORS, scope=LIST)
def flags(request: HttpRequest) -> HttpResponse:
    """电子监察: the supervision flags of the jurisdiction over a span of days."""
    user: Any = request.user
    day_to, bad_to = _day(request, "to")
    default_from = day_to - timedelta(days=6)
    day_from, bad_from = _day(request, "from") if request.GET.get("from") else (default_from, False)
    if bad_to or bad_from:
        messages.warning(request, _("日期格式应为 YYYY-MM-DD。"))
    if day_from > day_to:
        day_from, day_to = day_to, day_from
    if (day_to - day_from).days > MAX_SPAN_DAYS:
        messages.warning(request, _("一次最多查看 %(days)s 天。") % {"days": MAX_SPAN_DAYS})
        day_from = day_to - timedelta(days=MAX_SPAN_DAYS)
    rows = selectors.flags_list(user, day_from, day_to)
    page = paginate(request, rows)
    return render(
        request,
        "fieldwork/flags.html",
        {
            "day_from": day_from,
            "day_to": day_to,
            "page": page,
            "rows": [present_flag(flag) for flag in page.object_list],
        },
    )


@require_GET
@policy(roles=SUPERVISORS, scope=LIST)
def onduty(request: HttpRequest) -> HttpResponse:
    """The on-duty map: the page only; the data comes from the API (onduty.geojson), and a
    track opened for replay from the API's audited track operation."""
    day, bad = _day(request)
    if bad:
        messages.warning(request, BAD_DAY)
    return render(
        request,
        "fieldwork/onduty.html",
        {
            "day": day,
            "api_base": _api_base(),
            **_map_context(),
        },
    )


# --- 入户走访 (household visits): phone pages over fieldwork.visits and the visit selectors ---

# Who records a visit: anyone who may write ledgers in their jurisdiction (the grid worker
# mostly); reading visits and the due list is ledger reading (docs/architecture.md "One way in").
VISIT_WRITERS = WRITE_ROLES
# Who sees the per-grid overdue table: those who supervise several grids.
VISIT_SUPERVISORS = frozenset({Role.SECRETARY, Role.COMMAND, Role.SYSADMIN})
DUE_LIMIT = 50
RECENT_LIMIT = 10
# The service's and the case intake's field names that differ from this form's.
SERVICE_FIELDS = {"description": "case_description", "raise_case": "category"}
NO_TARGET = gettext_lazy("请从待走访名单或人员页面选择走访对象。")


class VisitForm(forms.Form):
    """One visit as typed on the phone; ``client_key`` is made on GET so a double submit of the
    same page stores one visit (the service returns the stored one)."""

    purpose = forms.ChoiceField(
        label=gettext_lazy("走访事由"),
        choices=VisitPurpose.choices,
        initial=VisitPurpose.ROUTINE,
        error_messages={
            "required": gettext_lazy("请选择走访事由"),
            "invalid_choice": gettext_lazy("请选择有效的走访事由"),
        },
    )
    findings = forms.CharField(
        label=gettext_lazy("走访情况"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": gettext_lazy("请填写走访情况"),
            "max_length": gettext_lazy("走访情况最多 1000 字"),
        },
    )
    follow_up = forms.CharField(
        label=gettext_lazy("后续跟进"),
        max_length=200,
        required=False,
        error_messages={"max_length": gettext_lazy("后续跟进最多 200 字")},
    )
    client_key = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)
    photos = PhotosField(label=gettext_lazy("现场照片"))
    raise_case = forms.BooleanField(label=gettext_lazy("转为事件"), required=False)
    category = CategoryChoiceField(required=False)
    case_description = forms.CharField(
        label=gettext_lazy("事件描述"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": gettext_lazy("事件描述最多 2000 字")},
    )
    urgent = forms.BooleanField(label=gettext_lazy("紧急"), required=False)
    # 台账更正: what the visit found out about the person, written through the registry's
    # person_update with the visit (its errors come back on these fields by name).
    phone = forms.CharField(label=gettext_lazy("联系电话"), max_length=30, required=False)
    presence = forms.ChoiceField(
        label=gettext_lazy("人户状态"),
        choices=[("", gettext_lazy("不更正")), *Presence.choices],
        required=False,
        error_messages={"invalid_choice": gettext_lazy("请选择有效的人户状态")},
    )
    occupation = forms.CharField(
        label=gettext_lazy("职业"),
        max_length=50,
        required=False,
        error_messages={"max_length": gettext_lazy("职业最多 50 字")},
    )
    workplace = forms.CharField(
        label=gettext_lazy("工作单位"),
        max_length=100,
        required=False,
        error_messages={"max_length": gettext_lazy("工作单位最多 100 字")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = self.fields["category"].grouped_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("raise_case"):
            if not data.get("category") and "category" not in self.errors:
                self.add_error("category", _("转为事件时请选择分类"))
            if not (data.get("case_description") or "").strip():
                self.add_error("case_description", _("转为事件时请描述问题"))
        return data


def _visit_target(request: HttpRequest, user: Any) -> tuple[Any, Any] | None:
    """The person or household named by ``?person=`` / ``?household=`` (also posted back as
    hidden fields), fetched through the registry's access selectors: out of scope is 404."""
    source = request.POST if request.method == "POST" else request.GET
    for name in ("person", "household"):
        raw = (source.get(name) or request.GET.get(name) or "").strip()
        if not raw:
            continue
        if not raw.isdigit() or len(raw) > 18:
            raise Http404
        if name == "person":
            found = registry_selectors.access_person(user, int(raw), for_write=True)
            return found, found.household
        household = registry_selectors.access_household(user, int(raw), for_write=True)
        return None, household
    return None


def _due_item(row: selectors.DueVisit) -> dict[str, Any]:
    """A due-list row with its state in words, so "overdue" is never told by colour alone."""
    days = row.days_overdue
    if days > 0:
        state = ngettext("逾期 %(n)d 天", "逾期 %(n)d 天", days) % {"n": days}
    elif days == 0:
        state = _("今天到期")
    else:
        state = ngettext("还有 %(n)d 天", "还有 %(n)d 天", -days) % {"n": -days}
    return {"row": row, "overdue": days > 0, "state": state}


def _overdue_rows(per_grid: dict[str, int], by_community: bool) -> list[tuple[str, str, int]]:
    """(code, name, overdue) most overdue first: per community for a street or wider (a city
    has 25,000 grids), per grid for a community."""
    counts: dict[str, int] = {}
    for code, n in per_grid.items():
        key = code[: LENGTH_BY_LEVEL[Level.COMMUNITY]] if by_community else code
        counts[key] = counts.get(key, 0) + n
    if by_community:
        names = dict(Region.objects.filter(code__in=counts).values_list("code", "short_name"))
    else:
        names = dict(Grid.objects.filter(code__in=counts).values_list("code", "name"))
    return sorted(
        ((code, names.get(code, ""), n) for code, n in counts.items()), key=lambda r: (-r[2], r[0])
    )


def _first_community(code: str) -> str:
    """The first community under ``code`` (the list of a jurisdiction with nothing overdue)."""
    first = (
        Region.objects.filter(starts_with_q("code", code), level=Level.COMMUNITY)
        .order_by("code")
        .values_list("code", flat=True)
        .first()
    )
    return first or code


@require_GET
@policy(roles=LEDGER_READERS, scope=LIST)
def visits(request: HttpRequest) -> HttpResponse:
    """待走访: the people due a visit (most overdue first), then recent visits; supervisors also
    get overdue counts per grid. ``?code=`` narrows the page to a division or grid of the
    jurisdiction (404 outside it).

    Above a community the list shows one community at a time: the one chosen, else the one
    with the most overdue visits, and the counts per community lead to each. Ordering a city's
    every rented household and tagged person for one page took 7–9 s at 10 M people, and a
    street or city office sends a community to visit, not a name from across the city
    (docs/architecture.md "Field work")."""
    user: Any = request.user
    today = timezone.localdate()
    chosen = request.GET.get("code", "")
    code = registry_selectors.ledger_code(user, chosen) if chosen else ""
    above = wider_than_community(user)
    wide = above and above_community(code)
    counts: list[tuple[str, str, int]] = []
    counted_at = None
    listed = code
    if wide:
        # The count the command screen keeps, per jurisdiction (a city's took 3.8 s).
        per_grid, counted_at = selectors.kept_overdue_counts(user, today)
        counts = _overdue_rows({g: n for g, n in per_grid.items() if g.startswith(code)}, True)
        listed = counts[0][0] if counts else _first_community(code)
    elif user.role in VISIT_SUPERVISORS or user.is_superuser:
        counts = _overdue_rows(selectors.overdue_counts(user, today=today, code=code), False)
    due = [
        _due_item(row)
        for row in selectors.due_visits(user, today=today, limit=DUE_LIMIT, code=listed)
    ]
    recent_rows = selectors.visits_list(user)
    if user.role == Role.GRID_WORKER:
        recent_rows = recent_rows.filter(worker=user)
    recent = [present_visit(v, user=user) for v in recent_rows[:RECENT_LIMIT]]
    # Whoever sees more than a community is told which one (or which grid) the list is of.
    listed_name = ""
    if above and listed:
        names = Region.objects.filter(code=listed).values_list("name", flat=True)
        listed_name = (
            names.first()
            or Grid.objects.filter(code=listed).values_list("name", flat=True).first()
            or ""
        )
    return render(
        request,
        "fieldwork/visit_list.html",
        {
            "due": due,
            "due_limit": DUE_LIMIT,
            "recent": recent,
            "counts": counts,
            "counted_at": counted_at,
            "by_community": wide,
            "listed": listed,
            "listed_name": listed_name,
            "narrowed": above and not wide,
            "can_record": user.role in VISIT_WRITERS,
            "is_worker": user.role == Role.GRID_WORKER,
            "today": today,
        },
    )


@require_http_methods(["GET", "POST"])
@policy(roles=VISIT_WRITERS, scope=OBJECT)
def visit_new(request: HttpRequest) -> HttpResponse:
    """The visit form for the person (or household) in the query string → ``visit_record``."""
    user: Any = request.user
    target = _visit_target(request, user)
    if target is None:
        messages.error(request, NO_TARGET)
        return render(request, "fieldwork/visit_form.html", {"form": None}, status=400)
    person, household = target
    status = 200
    if request.method == "POST":
        posted = _posted(request)
        if posted is None:
            messages.error(request, BROKEN_UPLOAD)
            form = VisitForm(initial={"client_key": uuid.uuid4().hex})
            status = 400
        else:
            form = VisitForm(*posted)
            if form.is_valid():
                data = form.cleaned_data
                raise_case = None
                if data["raise_case"]:
                    raise_case = {
                        "category": data["category"],
                        "description": data["case_description"],
                        "urgent": data["urgent"],
                    }
                try:
                    visit, created = visit_record(
                        actor=user,
                        person=person,
                        household=None if person is not None else household,
                        purpose=data["purpose"],
                        findings=data["findings"],
                        follow_up=data["follow_up"],
                        client_key=data["client_key"],
                        raise_case=raise_case,
                        correction=(
                            {name: data[name] for name in CORRECTABLE_PERSON_FIELDS}
                            if person is not None
                            else None
                        ),
                        photos=data["photos"],
                    )
                except ValidationError as exc:
                    _errors_to_form(form, exc)
                else:
                    if not created:
                        messages.info(request, _("这次走访已经保存过,没有重复记录。"))
                    elif visit.case is not None:
                        messages.success(
                            request,
                            _("走访已记录,并已转为事件 %(number)s。")
                            % {"number": visit.case.number},
                        )
                    else:
                        messages.success(request, _("走访已记录。"))
                    return redirect("fieldwork:visits")
            status = 400
    else:
        form = VisitForm(initial={"client_key": uuid.uuid4().hex})
    return render(
        request,
        "fieldwork/visit_form.html",
        {
            "form": form,
            "person_id": person.pk if person is not None else None,
            "person_name": person.name if person is not None else "",
            "household_id": household.pk if household is not None else None,
            "household_label": household.number if household is not None else "",
        },
        status=status,
    )


@require_GET
@policy(roles=LEDGER_READERS, scope=OBJECT)
def visit_photo(request: HttpRequest, pk: int, photo_pk: int, size: str) -> HttpResponseBase:
    """A visit's photo, only to someone who may see the visit (media are not public)."""
    visit = selectors.access_visit(request.user, pk)
    found = VisitPhoto.objects.filter(visit=visit, pk=photo_pk).first()
    if found is None or size not in ("thumb", "full"):
        raise Http404
    return protected_file_response(found.thumbnail if size == "thumb" else found.image)


def _errors_to_form(form: forms.Form, exc: ValidationError) -> None:
    """The service's errors by field onto the form's fields; others on top of the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            field = SERVICE_FIELDS.get(field, field)
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


@require_GET
@policy(roles=LEDGER_READERS, scope=OBJECT)
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One visit: who, which household, why, what was found, what follows, the case raised."""
    user: Any = request.user
    found = selectors.access_visit(user, pk)
    return render(
        request,
        "fieldwork/visit_detail.html",
        {
            "visit": present_visit(found, user=user),
            "visit_obj": found,
        },
    )
