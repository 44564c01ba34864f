"""Pages of 志愿服务: the resident's page (upcoming activities, my sign-ups, my hours, my
certificate), a public activity page linked from the community portal, and the staff pages
(teams, volunteers, activities, attendance, closing, hours). Every view declares its policy
(docs/architecture.md "One way in"); staff pages fetch objects through ``access_*``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicgrid.cases.models import Case
from civicgrid.core import throttle
from civicgrid.core.client_ip import client_ip
from civicgrid.core.pagination import paginate
from civicgrid.core.policy import LIST, NONE, OBJECT, policy
from civicgrid.geo.models import Region
from civicgrid.participation.volunteers import selectors, services
from civicgrid.participation.volunteers.choices import (
    VOLUNTEER_SELF,
    VOLUNTEER_STAFF,
    ActivityStatus,
    SignupStatus,
)
from civicgrid.participation.volunteers.forms import (
    ActivityEditForm,
    ActivityForm,
    CheckinForm,
    HoursForm,
    SignupForm,
    StaffSignupForm,
    TeamForm,
    VolunteerEditForm,
    VolunteerForm,
    apply_service_errors,
    community_choices,
)
from civicgrid.participation.volunteers.models import Signup
from civicgrid.participation.volunteers.presenters import (
    present_activity_public,
    present_activity_staff,
    present_certificate,
    present_my_signup,
    present_ranking_staff,
    present_signup_staff,
    present_team,
    present_volunteer_staff,
)

PUBLIC = policy(public=True)
# The resident acts on their own sign-up; the activity named in the URL is public (the portal
# lists it), so there is no jurisdiction to check: scope NONE.
SELF = policy(roles=VOLUNTEER_SELF, scope=NONE)


def public_allowed(request: HttpRequest) -> bool:
    return throttle.hit(
        "volunteers-public",
        client_ip(request) or "unknown",
        limit=settings.PORTAL_PAGE_LIMIT_PER_MINUTE,
        window_seconds=60,
    )


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "participation/busy.html",
        {"message": _("访问过于频繁,请稍后再试。")},
        status=429,
    )


def _error_text(exc: ValidationError) -> str:
    return " ".join(str(m) for m in exc.messages)


# --- public and the resident's own --------------------------------------------------------------


@PUBLIC
def activity(request: HttpRequest, pk: int) -> HttpResponse:
    if not public_allowed(request):
        return _too_many(request)
    return _activity_page(request, selectors.public_activity(pk), SignupForm())


def _activity_page(
    request: HttpRequest, found: Any, signup_form: SignupForm, status: int = 200
) -> HttpResponse:
    user: Any = request.user
    mine = None
    is_resident = user.is_authenticated and user.role in VOLUNTEER_SELF
    if is_resident:
        volunteer = services.resident_volunteer_for(user, found)
        if volunteer is not None:
            row = Signup.objects.filter(activity=found, volunteer=volunteer).first()
            mine = present_my_signup(row) if row else None
    context = {
        "activity": present_activity_public(found),
        "community": Region.objects.filter(code=found.community_code).first(),
        "mine": mine,
        "is_resident": is_resident,
        "signup_form": signup_form,
        "login_url": f"{resolve_url(settings.LOGIN_URL)}?next={request.path}",
    }
    return render(request, "participation/volunteers/activity.html", context, status=status)


@SELF
def home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    chosen = request.GET.get("community", "")
    if chosen and not Region.objects.filter(code=chosen, level="community").exists():
        chosen = ""
    year = selectors.this_year()
    context = {
        "upcoming": [
            present_activity_public(a) for a in selectors.resident_upcoming(user, chosen)[:30]
        ],
        "mine": [present_my_signup(r) for r in selectors.my_signups(user)],
        "hours": selectors.my_hours(user, year),
        "year": year,
        "years": [year, year - 1],
        "profiles": services.volunteers_of(user),
    }
    return render(request, "participation/volunteers/home.html", context)


def _back_to_activity(pk: int) -> HttpResponse:
    return redirect("volunteers:activity", pk=pk)


@SELF
@require_POST
def activity_signup(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    found = selectors.public_activity(pk)
    form = SignupForm(request.POST)
    if not form.is_valid():
        # Not signed up: the page says why next to the field and keeps what was typed.
        return _activity_page(request, found, form, status=400)
    phone = form.cleaned_data["phone"]
    try:
        with transaction.atomic():
            volunteer = services.resident_profile(user, found.community_code, phone=phone)
            services.signup(activity=found, volunteer=volunteer, actor=user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return _back_to_activity(pk)
    messages.success(request, _("报名成功"))
    return redirect(reverse("volunteers:home") + "#mine")


def _own_volunteer(request: HttpRequest, pk: int) -> tuple[Any, Any]:
    found = selectors.public_activity(pk)
    volunteer = services.resident_volunteer_for(request.user, found)
    return found, volunteer


@SELF
@require_POST
def activity_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    found, volunteer = _own_volunteer(request, pk)
    try:
        if volunteer is None:
            raise ValidationError(_("您没有报名该活动"))
        services.signup_cancel(activity=found, volunteer=volunteer)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("已取消报名,名额已释放"))
    return _back_to_activity(pk)


@SELF
@require_POST
def activity_checkin(request: HttpRequest, pk: int) -> HttpResponse:
    found, volunteer = _own_volunteer(request, pk)
    form = CheckinForm(request.POST)
    try:
        if volunteer is None:
            raise ValidationError(_("您没有报名该活动"))
        if not form.is_valid():
            raise ValidationError(_("位置无效"))
        services.checkin_self(
            activity=found,
            volunteer=volunteer,
            lat=form.cleaned_data["lat"],
            lng=form.cleaned_data["lng"],
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("签到成功"))
    return _back_to_activity(pk)


@SELF
@require_POST
def activity_checkout(request: HttpRequest, pk: int) -> HttpResponse:
    found, volunteer = _own_volunteer(request, pk)
    try:
        if volunteer is None:
            raise ValidationError(_("您没有报名该活动"))
        services.checkout_self(activity=found, volunteer=volunteer)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("签退成功"))
    return _back_to_activity(pk)


@SELF
def certificate(request: HttpRequest, year: int) -> HttpResponse:
    year = selectors.valid_year(year)
    user: Any = request.user
    certificates = []
    for volunteer in services.volunteers_of(user):
        rows = selectors.certificate_rows(volunteer, year)
        community = Region.objects.filter(code=volunteer.community_code).first()
        certificates.append(present_certificate(volunteer, year, rows, community))
    return render(
        request,
        "participation/volunteers/certificate.html",
        {"certificates": certificates, "year": year},
    )


# --- staff ----------------------------------------------------------------------------------


STAFF_LIST = policy(roles=VOLUNTEER_STAFF, scope=LIST)
STAFF_NEW = policy(roles=VOLUNTEER_STAFF, scope=NONE)
STAFF_OBJECT = policy(roles=VOLUNTEER_STAFF, scope=OBJECT)


@STAFF_LIST
def manage(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    year = selectors.this_year()
    communities = community_choices(user)
    chosen = request.GET.get("community", "")
    if chosen not in {c for c, _n in communities}:
        chosen = communities[0][0] if communities else ""
    teams = [
        present_team(t, getattr(t, "hours", None) or 0)
        for t in selectors.staff_teams(user, year)[:200]
    ]
    past = paginate(request, selectors.staff_activities(user, past=True))
    context = {
        "teams": teams,
        "upcoming": [present_activity_staff(a) for a in selectors.staff_activities(user)[:50]],
        "past_page": past,
        "past": [present_activity_staff(a) for a in past],
        "communities": communities,
        "chosen": chosen,
        "ranking": present_ranking_staff(selectors.ranking(chosen, year)) if chosen else None,
        "year": year,
    }
    return render(request, "participation/volunteers/manage.html", context)


@STAFF_LIST
def manage_volunteers(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    q = request.GET.get("q", "").strip()[:50]
    page = paginate(request, selectors.staff_volunteers(user, q))
    rows = [present_volunteer_staff(v) for v in page]
    return render(
        request,
        "participation/volunteers/manage_volunteers.html",
        {"page": page, "rows": rows, "q": q},
    )


@STAFF_NEW
def manage_team_new(request: HttpRequest) -> HttpResponse:
    return _team_form(request, None)


@STAFF_OBJECT
def manage_team(request: HttpRequest, pk: int) -> HttpResponse:
    team = selectors.access_team(request.user, pk, for_write=request.method == "POST")
    return _team_form(request, team)


def _team_form(request: HttpRequest, team: Any) -> HttpResponse:
    user: Any = request.user
    initial = (
        {
            "community": team.community_code,
            "name": team.name,
            "kind": team.kind,
            "leader": team.leader_id,
            "description": team.description,
        }
        if team
        else {}
    )
    form = TeamForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.team_save(
                actor=user,
                community_code=data["community"],
                name=data["name"],
                kind=data["kind"],
                description=data["description"],
                leader=data["leader"],
                team=team,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("队伍已保存"))
            return redirect("volunteers:manage_team", pk=saved.pk)
    members = []
    if team is not None:
        members = [present_volunteer_staff(v) for v in team.members.filter(retired_on=None)]
    context = {
        "form": form,
        "team": present_team(team, selectors.team_hours(team)) if team else None,
        "members": members,
    }
    return render(request, "participation/volunteers/manage_team.html", context)


@STAFF_NEW
def manage_volunteer_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = VolunteerForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.volunteer_register(
                actor=user,
                community_code=data["community"],
                name=data["name"],
                phone=data["phone"],
                skills=data["skills"],
                teams=list(data["teams"]),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("志愿者已登记"))
            return redirect("volunteers:manage_volunteer", pk=created.pk)
    return render(request, "participation/volunteers/manage_volunteer_form.html", {"form": form})


@STAFF_OBJECT
def manage_volunteer(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    volunteer = selectors.access_volunteer(user, pk, for_write=request.method == "POST")
    form = VolunteerEditForm(
        request.POST or None,
        volunteer=volunteer,
        initial={
            "name": volunteer.name,
            "skills": volunteer.skills,
            "teams": list(volunteer.teams.all()),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.volunteer_update(
                volunteer=volunteer,
                actor=user,
                name=data["name"],
                phone=data["phone"],
                skills=data["skills"],
                teams=list(data["teams"]),
                retire=data["retire"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("已保存"))
            return redirect("volunteers:manage_volunteer", pk=volunteer.pk)
    year = selectors.this_year()
    rows = (
        Signup.objects.filter(volunteer=volunteer)
        .select_related("activity", "activity__team")
        .order_by("-activity__date")[:50]
    )
    context = {
        "volunteer": present_volunteer_staff(volunteer, selectors.volunteer_hours(volunteer, year)),
        "retired_on": volunteer.retired_on,
        "form": form,
        "signups": [present_my_signup(r) for r in rows],
        "year": year,
        "years": [year, year - 1],
    }
    return render(request, "participation/volunteers/manage_volunteer.html", context)


@STAFF_OBJECT
def manage_certificate(request: HttpRequest, pk: int, year: int) -> HttpResponse:
    volunteer = selectors.access_volunteer(request.user, pk)
    year = selectors.valid_year(year)
    community = Region.objects.filter(code=volunteer.community_code).first()
    shown = present_certificate(
        volunteer, year, selectors.certificate_rows(volunteer, year), community
    )
    return render(
        request,
        "participation/volunteers/certificate.html",
        {"certificates": [shown], "year": year},
    )


@STAFF_NEW
def manage_activity_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = ActivityForm(request.POST or None, user=user, initial={"checkin_radius_m": 500})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case_id = None
            if data["case_number"]:
                case = Case.objects.visible_to(user).filter(number=data["case_number"]).first()
                if case is None:
                    raise ValidationError({"case_number": _("关联事件不存在或不属于本社区")})
                case_id = case.pk
            created = services.activity_create(
                actor=user,
                team=data["team"],
                title=data["title"],
                date=data["date"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                places=data["places"],
                lat=data["lat"],
                lng=data["lng"],
                description=data["description"],
                checkin_radius_m=data["checkin_radius_m"],
                case_id=case_id,
                task_id=data["task_id"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "case" in exc.error_dict:
                exc = ValidationError({"case_number": exc.error_dict["case"]})
            if hasattr(exc, "error_dict") and "task" in exc.error_dict:
                exc = ValidationError({"task_id": exc.error_dict["task"]})
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("活动已发布"))
            return redirect("volunteers:manage_activity", pk=created.pk)
    return render(request, "participation/volunteers/manage_activity_form.html", {"form": form})


@STAFF_OBJECT
def manage_activity(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.access_activity(request.user, pk)
    rows = selectors.attendance(found)
    context = {
        "activity": present_activity_staff(found),
        "rows": [present_signup_staff(r) for r in rows],
        "open": found.status == ActivityStatus.OPEN,
        "closed": found.status == ActivityStatus.CLOSED,
        "signup_form": StaffSignupForm(activity=found),
        "hours_form": HoursForm(),
        "signed": sum(1 for r in rows if r.status == SignupStatus.SIGNED),
    }
    return render(request, "participation/volunteers/manage_activity.html", context)


@STAFF_OBJECT
def manage_activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    found = selectors.access_activity(user, pk, for_write=request.method == "POST")
    if found.status != ActivityStatus.OPEN:
        messages.error(request, _("活动已结束或已取消,不能修改"))
        return _back_to_manage(pk)
    initial = {
        "team": found.team_id,
        "title": found.title,
        "date": found.date,
        "starts_at": found.starts_at,
        "ends_at": found.ends_at,
        "place": found.place,
        "lat": found.lat,
        "lng": found.lng,
        "places": found.places,
        "checkin_radius_m": found.checkin_radius_m,
        "description": found.description,
        "case_number": found.case.number if found.case_id and found.case else "",
        "task_id": found.task_id,
    }
    form = ActivityEditForm(request.POST or None, user=user, activity=found, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case_id = found.case_id if data["case_number"] == initial["case_number"] else None
            if data["case_number"] and case_id is None:
                case = Case.objects.visible_to(user).filter(number=data["case_number"]).first()
                if case is None:
                    raise ValidationError({"case": _("关联事件不存在或不属于本社区")})
                case_id = case.pk
            changes = {k: data[k] for k in initial if k not in ("case_number", "task_id")}
            services.activity_update(
                activity=found,
                actor=user,
                changes={**changes, "case_id": case_id, "task_id": data["task_id"]},
            )
        except ValidationError as exc:
            apply_service_errors(form, _form_errors(exc))
        else:
            messages.success(request, _("活动已修改"))
            return _back_to_manage(pk)
    context = {"form": form, "activity": present_activity_staff(found)}
    return render(request, "participation/volunteers/manage_activity_edit.html", context)


def _form_errors(exc: ValidationError) -> ValidationError:
    """The services name the links ``case``/``task``; the form's fields are the number and id."""
    if not hasattr(exc, "error_dict"):
        return exc
    renamed = {"case": "case_number", "task": "task_id"}
    return ValidationError({renamed.get(k, k): v for k, v in exc.error_dict.items()})


def _back_to_manage(pk: int) -> HttpResponse:
    return redirect("volunteers:manage_activity", pk=pk)


@STAFF_OBJECT
@require_POST
def manage_activity_signup(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    found = selectors.access_activity(user, pk, for_write=True)
    form = StaffSignupForm(request.POST, activity=found)
    if not form.is_valid():
        messages.error(request, _("请选择本社区的志愿者"))
        return _back_to_manage(pk)
    try:
        # The volunteer is checked too: a write checks every object it touches.
        volunteer = selectors.access_volunteer(user, form.cleaned_data["volunteer"].pk)
        if volunteer.community_code != found.community_code:
            raise ValidationError(_("只能为本社区的志愿者报名"))
        services.signup(activity=found, volunteer=volunteer, actor=user)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("已为志愿者报名"))
    return _back_to_manage(pk)


def _activity_action(
    request: HttpRequest, pk: int, action: Callable[..., Any], done: str, **data: Any
) -> HttpResponse:
    """An organiser's action on an activity of their jurisdiction; the refusal in Chinese."""
    found = selectors.access_activity(request.user, pk, for_write=True)
    try:
        action(activity=found, actor=request.user, **data)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, done)
    return _back_to_manage(pk)


@STAFF_OBJECT
@require_POST
def manage_activity_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    present = [int(v) for v in request.POST.getlist("present") if v.isdigit()]
    return _activity_action(request, pk, services.attendance_mark, _("考勤已保存"), present=present)


@STAFF_OBJECT
@require_POST
def manage_activity_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _activity_action(request, pk, services.activity_close, _("活动已结项,服务时长已记入"))


@STAFF_OBJECT
@require_POST
def manage_activity_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _activity_action(request, pk, services.activity_cancel, _("活动已取消"))


@STAFF_OBJECT
@require_POST
def manage_signup_hours(request: HttpRequest, pk: int) -> HttpResponse:
    row = selectors.access_signup(request.user, pk, for_write=True)
    form = HoursForm(request.POST)
    if not form.is_valid():
        for message in form.errors.get("hours", []) + form.errors.get("reason", []):
            messages.error(request, str(message))
        return _back_to_manage(row.activity_id)
    try:
        services.hours_adjust(
            row=row,
            actor=request.user,
            hours=form.cleaned_data["hours"],
            reason=form.cleaned_data["reason"],
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("时长已调整"))
    return _back_to_manage(row.activity_id)
