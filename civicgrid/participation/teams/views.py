"""Pages of grid teams (/teams/) and of party members' household links (/teams/party/).

Every view declares its policy (docs/architecture.md "One way in"); objects named in the URL
come through ``selectors.access_*`` (404 outside the jurisdiction), lists through
``visible_to``; every write goes through ``services``, which checks each target it touches."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civicgrid.core.audit import audit_record
from civicgrid.core.pagination import paginate
from civicgrid.core.policy import LIST, OBJECT, policy
from civicgrid.core.replica import reads_replica
from civicgrid.core.spreadsheet import safe_row
from civicgrid.participation.forms import apply_service_errors
from civicgrid.participation.teams import selectors, services
from civicgrid.participation.teams.choices import (
    CONTACT_RECORDERS,
    DEFAULT_COVERAGE_DAYS,
    PARTY_MANAGERS,
    PARTY_READERS,
    TEAM_MANAGERS,
    TEAM_READERS,
)
from civicgrid.participation.teams.forms import (
    ContactForm,
    CoverageForm,
    LeaveForm,
    LinkForm,
    MemberForm,
    PartyMemberForm,
)
from civicgrid.participation.teams.presenters import (
    present_contact,
    present_link,
    present_party_member,
    present_team,
    present_uncovered,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _manages(user: Any, roles: frozenset[Any]) -> bool:
    return bool(user.is_superuser or user.role in roles)


def _service_error(form: Any, exc: Exception) -> None:
    if isinstance(exc, PermissionDenied):
        form.add_error(None, _("您的角色无权使用此功能"))
    else:
        apply_service_errors(form, exc)  # type: ignore[arg-type]


# --- teams ---------------------------------------------------------------------------------


@policy(roles=TEAM_READERS, scope=LIST)
@require_GET
def team_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:30]
    page = paginate(request, selectors.team_grids(request.user, q=q))
    return render(request, "participation/teams/team_list.html", {"page": page, "q": q})


def _team_page(request: HttpRequest, grid: Any, form: MemberForm | None = None) -> dict[str, Any]:
    user: Any = request.user
    manages = _manages(user, TEAM_MANAGERS) and user.in_scope(grid.code, reads="ledgers")
    team = selectors.team_of(grid, include_past=manages)
    if manages and form is None:
        form = MemberForm(department_users=selectors.department_accounts_for(grid))
    return {"team": present_team(team), "form": form if manages else None, "leave": LeaveForm()}


@policy(roles=TEAM_READERS, scope=OBJECT)
@require_GET
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    grid = selectors.access_team_grid(request.user, pk)
    return render(request, "participation/teams/team_detail.html", _team_page(request, grid))


@policy(roles=TEAM_MANAGERS, scope=OBJECT)
@require_POST
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    grid = selectors.access_team_grid(request.user, pk)
    form = MemberForm(request.POST, department_users=selectors.department_accounts_for(grid))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.team_member_add(
                actor=request.user,
                grid=grid,
                role=data["role"],
                user=data.get("user"),
                person=data.get("person"),
                name=data.get("name") or "",
                work_phone=data.get("work_phone") or "",
                public=data.get("public", False),
                since=data.get("since"),
            )
        except (ValidationError, PermissionDenied) as exc:
            _service_error(form, exc)
        else:
            messages.success(request, _("已加入网格团队。"))
            return redirect("gridteams:team_detail", pk=grid.pk)
    context = _team_page(request, grid, form)
    return render(request, "participation/teams/team_detail.html", context, status=400)


@policy(roles=TEAM_MANAGERS, scope=OBJECT)
@require_POST
def member_leave(request: HttpRequest, pk: int) -> HttpResponse:
    member = selectors.access_member(request.user, pk, for_write=True)
    form = LeaveForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"until": _("日期格式不正确")})
        services.team_member_leave(
            actor=request.user, member=member, until=form.cleaned_data.get("until")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied:
        messages.error(request, _("您的角色无权使用此功能"))
    else:
        messages.success(request, _("“%(name)s”已退出团队,记录保留。") % {"name": member.name})
    return redirect("gridteams:team_detail", pk=member.grid_id)


# --- party members -------------------------------------------------------------------------


@policy(roles=PARTY_READERS, scope=LIST)
def party_home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    manages = _manages(user, PARTY_MANAGERS)
    form = PartyMemberForm(request.POST or None) if manages else None
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("您的角色无权使用此功能"))
        if form.is_valid():
            data = form.cleaned_data
            try:
                row = services.party_member_add(
                    actor=user,
                    person=data.get("person"),
                    user=data.get("user"),
                    grid=data.get("grid"),
                    branch=data.get("branch") or "",
                )
            except (ValidationError, PermissionDenied) as exc:
                _service_error(form, exc)
            else:
                messages.success(request, _("已登记联系户党员。"))
                return redirect("gridteams:party_detail", pk=row.pk)
        status = 400
    grid = request.GET.get("grid", "").strip()
    grid = grid if grid.isdigit() and len(grid) <= 15 else ""
    page = paginate(request, selectors.party_members(user, grid=grid))
    rows = [present_party_member(r) for r in page]
    return render(
        request,
        "participation/teams/party_home.html",
        {"page": page, "rows": rows, "form": form},
        status=status,
    )


def _party_page(
    request: HttpRequest, row: Any, *, link_form: Any = None, contact_form: Any = None
) -> dict[str, Any]:
    user: Any = request.user
    links = [present_link(link, user=user) for link in selectors.member_links(row)]
    return {
        "member": present_party_member(row),
        "links": links,
        "contacts": [present_contact(c) for c in selectors.member_contacts(row)],
        "link_form": (link_form or LinkForm()) if _manages(user, PARTY_MANAGERS) else None,
        "contact_form": (contact_form or ContactForm())
        if _manages(user, CONTACT_RECORDERS)
        else None,
    }


@policy(roles=PARTY_READERS, scope=OBJECT)
@require_GET
def party_detail(request: HttpRequest, pk: int) -> HttpResponse:
    row = selectors.access_party_member(request.user, pk)
    return render(request, "participation/teams/party_detail.html", _party_page(request, row))


@policy(roles=PARTY_MANAGERS, scope=OBJECT)
@require_POST
def link_add(request: HttpRequest, pk: int) -> HttpResponse:
    row = selectors.access_party_member(request.user, pk, for_write=True)
    form = LinkForm(request.POST)
    if form.is_valid():
        try:
            services.household_link(
                actor=request.user, party_member=row, household=form.cleaned_data["household"]
            )
        except (ValidationError, PermissionDenied) as exc:
            _service_error(form, exc)
        else:
            messages.success(request, _("已添加联系户。"))
            return redirect("gridteams:party_detail", pk=row.pk)
    context = _party_page(request, row, link_form=form)
    return render(request, "participation/teams/party_detail.html", context, status=400)


@policy(roles=PARTY_MANAGERS, scope=OBJECT)
@require_POST
def link_end(request: HttpRequest, pk: int) -> HttpResponse:
    link = selectors.access_link(request.user, pk, for_write=True)
    try:
        services.household_unlink(actor=request.user, link=link)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied:
        messages.error(request, _("您的角色无权使用此功能"))
    else:
        messages.success(request, _("已结束联系,记录保留。"))
    return redirect("gridteams:party_detail", pk=link.party_member_id)


@policy(roles=CONTACT_RECORDERS, scope=OBJECT)
@require_POST
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    row = selectors.access_party_member(request.user, pk, for_write=True)
    form = ContactForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        link = selectors.member_links(row).filter(pk=data["link"]).first()
        try:
            if link is None:
                raise ValidationError({"link": _("请选择联系户")})
            raise_case = None
            if data.get("category"):
                raise_case = {"category": data["category"], "description": data.get("issues")}
            services.contact_record(
                actor=request.user,
                link=link,
                contacted_on=data.get("contacted_on"),
                way=data["way"],
                note=data.get("note") or "",
                issues=data.get("issues") or "",
                raise_case=raise_case,
            )
        except (ValidationError, PermissionDenied) as exc:
            _service_error(form, exc)
        else:
            messages.success(request, _("已记录联系。"))
            return redirect("gridteams:party_detail", pk=row.pk)
    context = _party_page(request, row, contact_form=form)
    return render(request, "participation/teams/party_detail.html", context, status=400)


def _coverage(request: HttpRequest) -> tuple[selectors.Coverage, CoverageForm]:
    form = CoverageForm(request.GET or None)
    days, code = DEFAULT_COVERAGE_DAYS, ""
    if form.is_valid():
        days = form.cleaned_data.get("days") or DEFAULT_COVERAGE_DAYS
        code = form.cleaned_data.get("code") or ""
    return selectors.coverage(request.user, code=code, days=days), form


@policy(roles=PARTY_READERS, scope=LIST)
@require_GET
def coverage(request: HttpRequest) -> HttpResponse:
    found, form = _coverage(request)
    page = paginate(request, found.uncovered)
    rows = [present_uncovered(h, user=request.user) for h in page]
    return render(
        request,
        "participation/teams/coverage.html",
        {"coverage": found, "form": form, "page": page, "uncovered": rows},
        status=200 if form.is_valid() or not request.GET else 400,
    )


# The export holds at most this many uncovered households; narrow by grid code beyond it.
EXPORT_LIMIT = 5000


@policy(roles=PARTY_READERS, scope=LIST)
@reads_replica
@require_GET
def coverage_export(request: HttpRequest) -> HttpResponse:
    from openpyxl import Workbook

    found, _form = _coverage(request)
    book = Workbook(write_only=True)
    counts = book.create_sheet(_("按网格统计"))
    counts.append(
        safe_row(
            [
                _("网格编码"),
                _("网格"),
                _("住户数"),
                _("有联系党员"),
                _("无联系党员"),
                _("近期已联系"),
                _("近期未联系"),
            ]
        )
    )
    for row in found.rows:
        counts.append(
            safe_row(
                [
                    row["grid_code"],
                    row["grid_name"],
                    row["total"],
                    row["with_link"],
                    row["without_link"],
                    row["with_contact"],
                    row["without_contact"],
                ]
            )
        )
    listing = book.create_sheet(_("未覆盖住户"))
    listing.append(
        safe_row([_("网格编码"), _("户号"), _("户主"), _("楼栋"), _("有联系党员"), _("近期已联系")])
    )
    for household in found.uncovered[:EXPORT_LIMIT]:
        item = present_uncovered(household, user=request.user)
        listing.append(
            safe_row(
                [
                    item["grid_code"],
                    item["label"],
                    item["head_name"],
                    item["building"],
                    _("是") if item["linked"] else _("否"),
                    _("是") if item["contacted"] else _("否"),
                ]
            )
        )
    # Ledger exports are audited (docs/architecture.md "PII"): who took which households out.
    audit_record(
        actor=request.user,
        action="ledger_export",
        target=request.user,
        field="ledger",
        reason=f"党员联系户覆盖 {found.code or '全部'} 近{found.days}天",
        request=request,
    )
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="party-coverage-{stamp}.xlsx"'
    return response
