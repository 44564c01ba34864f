"""Case pages: staff intake, "my work" queues, the case page with its allowed actions, the
command-centre list and map, and the resident's pages. Every write goes through
``services.case_report`` / ``services.case_merge`` / ``workflow.case_transition``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import RequestDataTooBig, TooManyFilesSent, ValidationError
from django.db import transaction
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from civicgrid.accounts.choices import CASE_READERS, Role
from civicgrid.cases import selectors, ui_selectors
from civicgrid.cases.choices import Action, Channel
from civicgrid.cases.deadlines import case_deadline_state
from civicgrid.cases.forms import (
    ActionForm,
    FilterForm,
    ReportForm,
    ResidentReportForm,
    TrackForm,
    action_form,
)
from civicgrid.cases.hooks import case_panels
from civicgrid.cases.models import Case, CasePhoto, Category
from civicgrid.cases.presenters import (
    REPORTER,
    audience_for,
    photo_shown_to,
    present_case,
    present_rows,
    present_tracking,
)
from civicgrid.cases.services import (
    REPORTING_ROLES,
    case_dispatch_to_member,
    case_merge,
    case_report,
)
from civicgrid.cases.workflow import TransitionError, allowed_actions, case_transition
from civicgrid.core import throttle
from civicgrid.core.client_ip import client_ip
from civicgrid.core.files import protected_file_response
from civicgrid.core.pagination import paginate
from civicgrid.core.policy import LIST, NONE, OBJECT, policy
from civicgrid.geo.basemap import tile_layers

# Who reaches each page (docs/architecture.md "One way in"): every view below declares it.
# Staff who read cases: everybody of CASE_READERS but residents, who have their own pages.
STAFF_CASE_READERS = CASE_READERS - {Role.RESIDENT}
# Staff who take in cases (网格员上报, 来访, 热线, 上级交办).
STAFF_REPORTERS = REPORTING_ROLES - {Role.RESIDENT}
RESIDENTS = frozenset({Role.RESIDENT})


BROKEN_UPLOAD = gettext_lazy("提交的内容无法解析(可能上传中断),请重新填写后提交。")


def _posted(request: HttpRequest) -> tuple[Any, Any] | None:
    """The POST data and files, or None when the body cannot be parsed (a multipart body
    without a boundary, a cut-off upload): the page then answers 400 with a Chinese message
    instead of failing."""
    if request.method != "POST":
        return None, None
    try:
        return request.POST, request.FILES
    except (MultiPartParserError, TooManyFilesSent, RequestDataTooBig):
        return None


def _add_service_errors(form: Form, exc: ValidationError) -> None:
    """Put the service's per-field Chinese messages on the form fields it names."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.message_dict.items():
        # Coordinates are hidden inputs: their message belongs next to the place field.
        target: str | None = "address" if field in ("lat", "lng") else field
        if target not in form.fields:
            target = None
        for message in errors:
            form.add_error(target, message)


def _map_context() -> dict[str, Any]:
    return {"center": settings.MAP_CENTER}


def _pick_map(user: Any) -> bool:
    """Whether an intake page draws a map to pick the place on (cases/_location.html): staff
    always, residents only over real tiles. The resident form's hints follow it."""
    return bool(tile_layers()) or bool(getattr(user, "is_staff_member", False))


# --- my work -------------------------------------------------------------------------------


@policy(roles=CASE_READERS, scope=LIST)
def home(request: HttpRequest) -> HttpResponse:
    return redirect("cases:work")


@policy(roles=CASE_READERS, scope=LIST)
def work(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if getattr(user, "role", None) == Role.RESIDENT:
        return redirect("cases:mine")
    now = timezone.now()
    queues = selectors.queues_for(user, now)
    counts = selectors.queue_counts(user, now)
    keys = [q.key for q in queues]
    key = request.GET.get("q", "")
    if key not in keys:
        key = next((k for k in keys if counts.get(k)), keys[0] if keys else "")
    page = paginate(request, selectors.case_queue(user, key, now))
    return render(
        request,
        "cases/case_work.html",
        {
            "tabs": [
                {"key": q.key, "label": q.label, "count": counts.get(q.key, 0)} for q in queues
            ],
            "current": key,
            "page": page,
            "rows": present_rows(page, now=now),
            "can_report": user.role in REPORTING_ROLES,
        },
    )


# --- staff intake --------------------------------------------------------------------------


OUTSIDE_OWN_AREA = gettext_lazy(
    "地点不在您的管辖范围内,已交由当地受理,您在本人事件列表中看不到它。"
)


@policy(roles=STAFF_REPORTERS, scope=NONE)
def report(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    posted = _posted(request)
    if posted is None:
        form = ReportForm(user=user)
        messages.error(request, BROKEN_UPLOAD)
        context = {
            "form": form,
            "may_merge": ui_selectors.may_merge_at_intake(user),
            "pick_map": _pick_map(user),
        }
        return render(request, "cases/case_report.html", {**context, **_map_context()}, status=400)
    form = ReportForm(posted[0] or None, posted[1] or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = case_report(
                channel=data["channel"],
                category=data["category"],
                description=data["description"],
                urgent=data["urgent"],
                lat=data["lat"],
                lng=data["lng"],
                address=data["address"],
                reporter_name=data["reporter_name"],
                reporter_phone=data["reporter_phone"],
                photos=data["photos"],
                actor=user,
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(request, _("已上报,事件编号 %(number)s。") % {"number": case.number})
            if data.get("duplicate_of"):
                _merge_at_intake(request, case, data["duplicate_of"])
            if not Case.objects.visible_to(user).filter(pk=case.pk).exists():
                # Taken for a place outside the reporter's area: the message keeps the number.
                messages.info(request, OUTSIDE_OWN_AREA)
                return redirect("cases:work")
            return redirect("cases:detail", pk=case.pk)
    if request.method == "POST" and request.FILES:
        # A browser never refills a file box: say so, or the photos seem to have been kept.
        messages.warning(request, _("照片未保存,请改正后重新选择照片再提交。"))
    return render(
        request,
        "cases/case_report.html",
        {
            "form": form,
            "may_merge": ui_selectors.may_merge_at_intake(user),
            "pick_map": _pick_map(user),
            **_map_context(),
        },
    )


def _merge_at_intake(request: HttpRequest, case: Case, into_pk: int) -> None:
    """The reporter said the new case repeats an open one: merge it there if they may."""
    user = request.user
    into = Case.objects.visible_to(user).filter(pk=into_pk).first()
    if into is None or not ui_selectors.may_merge_at_intake(user):
        return
    try:
        case_merge(duplicate=case, into=into, actor=user)
    except TransitionError as exc:
        messages.error(request, str(exc))
    else:
        messages.info(request, _("已合并到事件 %(number)s,一并办理。") % {"number": into.number})


@policy(roles=STAFF_REPORTERS, scope=LIST)
@require_GET
def duplicates(request: HttpRequest) -> HttpResponse:
    """htmx: open cases of the same category near the chosen point, that the user sees."""
    found: list[Case] = []
    try:
        category = Category.objects.filter(pk=int(request.GET.get("category", ""))).first()
        lat, lng = float(request.GET["lat"]), float(request.GET["lng"])
    except (KeyError, ValueError, OverflowError):
        category = None
    if category is not None:
        found = ui_selectors.visible_duplicates(request.user, category=category, lat=lat, lng=lng)
    return render(
        request,
        "cases/_duplicates.html",
        {"found": found, "may_merge": ui_selectors.may_merge_at_intake(request.user)},
    )


@policy(roles=REPORTING_ROLES, scope=NONE)
@require_GET
def suggest(request: HttpRequest) -> HttpResponse:
    """htmx: categories whose names or keywords occur in the description typed so far."""
    text = request.GET.get("description", "")[:2000]
    suggestions = ui_selectors.suggest_categories(text)
    return render(
        request,
        "cases/_suggestions.html",
        {
            "suggestions": suggestions,
            "strong": ui_selectors.strong_suggestion(text, suggestions),
        },
    )


# --- the case page and its actions -----------------------------------------------------------


def _detail_context(
    request: HttpRequest, case: Case, bound: ActionForm | None = None
) -> dict[str, Any]:
    """The case page through the case presenter: a resident's own case shows the public
    timeline and the handling result (no names of staff, no internal notes), exactly what
    the API gives them."""
    user: Any = request.user
    actions = allowed_actions(case, user)
    forms = []
    for action in actions:
        if bound is not None and bound.prefix == action:
            forms.append((action, Action(action).label, bound))
        else:
            forms.append((action, Action(action).label, action_form(action, case=case, actor=user)))
    return {
        "case": present_case(
            case,
            audience=audience_for(user),
            events=list(selectors.case_timeline(case)),
            actions=actions,
        ),
        "deadline": case_deadline_state(case),
        "action_forms": forms,
        "open_form": bound.prefix if bound is not None else "",
        # Panels higher apps add to the case page (cases.hooks), e.g. the grid's team.
        "panels": case_panels(case, user),
        **_map_context(),
    }


def _detail_template(user: Any) -> str:
    return (
        "cases/case_resident.html" if audience_for(user) == REPORTER else "cases/case_detail.html"
    )


@policy(roles=CASE_READERS, scope=OBJECT)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.access_case(request.user, pk)
    return render(request, _detail_template(request.user), _detail_context(request, case))


@transaction.atomic
@policy(roles=CASE_READERS, scope=OBJECT)
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user: Any = request.user
    case = selectors.access_case(user, pk)
    if action not in allowed_actions(case, user):
        messages.error(request, _("当前不能对该事件执行此操作。"))
        return redirect("cases:detail", pk=case.pk)
    posted = _posted(request)
    if posted is None:
        messages.error(request, BROKEN_UPLOAD)
        return render(request, _detail_template(user), _detail_context(request, case), status=400)
    form = action_form(action, case=case, actor=user, data=posted[0], files=posted[1])
    if not form.is_valid():
        messages.error(request, _("请检查填写的内容。"))
        return render(
            request, _detail_template(user), _detail_context(request, case, bound=form), status=400
        )
    note = form.cleaned_data.get("note", "")
    try:
        if action == Action.MERGE:
            case = case_merge(duplicate=case, into=form.cleaned_data["into"], actor=user, note=note)
        elif action == Action.DISPATCH and form.cleaned_data.get("assignee"):
            case = case_dispatch_to_member(
                case=case,
                actor=user,
                person=form.cleaned_data["assignee"],
                note=note,
                **form.transition_data(),
            )
        else:
            case = case_transition(
                case=case, action=action, actor=user, note=note, **form.transition_data()
            )
    except (TransitionError, ValidationError) as exc:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, text)
    else:
        messages.success(request, _("已完成“%(action)s”。") % {"action": Action(action).label})
    return redirect("cases:detail", pk=case.pk)


@policy(roles=CASE_READERS, scope=OBJECT)
@require_GET
def photo(request: HttpRequest, pk: int, photo_pk: int, size: str) -> HttpResponseBase:
    """A case photo, served only to someone who may see the case (media are not public)."""
    case = selectors.access_case(request.user, pk)
    found = CasePhoto.objects.filter(case=case, pk=photo_pk).select_related("event").first()
    if found is None or size not in ("thumb", "full"):
        raise Http404
    if not photo_shown_to(found, audience_for(request.user)):
        raise Http404
    image = found.thumbnail if size == "thumb" and found.thumbnail else found.image
    return protected_file_response(image)


# --- command centre ----------------------------------------------------------------------------


@policy(roles=STAFF_CASE_READERS, scope=LIST)
def case_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = FilterForm(request.GET or None, user=user)
    filters = form.filters()
    now = timezone.now()
    cases = selectors.case_list(user, now=now, **filters).order_by("-reported_at", "-id")
    page = paginate(request, cases)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "page": page,
            "rows": present_rows(page, now=now),
            "query": query.urlencode(),
            "legend": ui_selectors.marker_legend(),
            **_map_context(),
        },
    )


@policy(roles=STAFF_CASE_READERS, scope=LIST)
@require_GET
def map_data(request: HttpRequest) -> JsonResponse:
    user: Any = request.user
    form = FilterForm(request.GET or None, user=user)
    return JsonResponse(ui_selectors.open_case_features(user, form.filters()))


# --- residents ------------------------------------------------------------------------------------


@policy(roles=RESIDENTS, scope=NONE)
def submit(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    posted = _posted(request)
    pick_map = _pick_map(user)
    if posted is None:
        form = ResidentReportForm(pick_map=pick_map)
        messages.error(request, BROKEN_UPLOAD)
        return render(
            request,
            "cases/case_submit.html",
            {"form": form, "pick_map": pick_map, **_map_context()},
            status=400,
        )
    # The community portal links here with ?community= / ?grid= so a resident without a
    # position finds their grid already chosen.
    chosen = str(request.GET.get("grid", ""))[:15]
    community = str(request.POST.get("community") or request.GET.get("community") or "")[:12]
    form = ResidentReportForm(
        posted[0] or None,
        posted[1] or None,
        community=community or chosen[:12],
        initial={"grid": chosen},
        pick_map=pick_map,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        lat, lng = data["lat"], data["lng"]
        grid = data["grid_obj"]
        try:
            case = case_report(
                channel=Channel.RESIDENT,
                category=data["category"],
                description=data["description"],
                lat=lat,
                lng=lng,
                address=data["address"],
                reporter_phone=data["reporter_phone"],
                photos=data["photos"],
                actor=user,
                grid=grid if lat is None else None,
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("已收到您的诉求,编号 %(number)s,可凭编号查询办理进度。")
                % {"number": case.number},
            )
            return redirect("cases:detail", pk=case.pk)
    return render(
        request, "cases/case_submit.html", {"form": form, "pick_map": pick_map, **_map_context()}
    )


@policy(roles=RESIDENTS, scope=LIST)
def mine(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    cases = (
        Case.objects.visible_to(user)
        .with_list_relations()
        .defer(*selectors.LIST_DEFERRED)
        .order_by("-reported_at", "-id")
    )
    page = paginate(request, cases)
    return render(request, "cases/case_mine.html", {"page": page, "rows": present_rows(page)})


def _track_allowed(request: HttpRequest, number: str) -> bool:
    """Count one public lookup against the case number and against the client; False once
    either went over its hourly limit (``CASE_TRACK_LIMIT_PER_NUMBER`` /
    ``CASE_TRACK_LIMIT_PER_CLIENT``). Both are counted on every attempt, so neither trying many
    numbers from one place nor one number from many places gets far."""
    window = settings.CASE_TRACK_WINDOW_SECONDS
    per_number = settings.CASE_TRACK_LIMIT_PER_NUMBER
    per_client = settings.CASE_TRACK_LIMIT_PER_CLIENT
    client = client_ip(request)
    by_number = throttle.hit("case-track-number", number, limit=per_number, window_seconds=window)
    by_client = throttle.hit(
        "case-track-client", client or "unknown", limit=per_client, window_seconds=window
    )
    return by_number and by_client


@policy(public=True)
def track(request: HttpRequest) -> HttpResponse:
    """Follow a case by its number. Signed-in users open the cases they may see (a resident:
    their own) by the number alone; anybody else also gives the phone number left with the
    case and sees only status, steps and the handling result: no names, notes, description,
    place or phone. A wrong number and a wrong phone get the same answer, and lookups are
    limited per case number and per client, so numbers (which are sequential) cannot be tried
    one after another."""
    # The phone comes by POST so it stays out of addresses, history and logs; a link may
    # carry the number alone.
    posted = _posted(request)
    if posted is None:
        form = TrackForm()
        messages.error(request, BROKEN_UPLOAD)
        return render(request, "cases/case_track.html", {"form": form, "case": None}, status=400)
    form = TrackForm(posted[0] if request.method == "POST" else (request.GET or None))
    found = None
    status = 200
    if form.is_valid():
        number = form.cleaned_data["number"]
        phone = form.cleaned_data["phone"]
        own = ui_selectors.find_visible_by_number(request.user, number)
        if own is not None:
            return redirect("cases:detail", pk=own.pk)
        if not phone:
            form.add_error("phone", _("请输入反映问题时登记的联系电话"))
        elif not _track_allowed(request, ui_selectors.normalised_number(number)):
            form.add_error(None, _("查询过于频繁,请一小时后再试。"))
            status = 429
        else:
            case = ui_selectors.find_by_number_and_phone(number, phone)
            if case is None:
                form.add_error(None, _("未找到该事件,请核对编号和联系电话后重试。"))
            else:
                found = present_tracking(case, events=ui_selectors.public_timeline(case))
    return render(request, "cases/case_track.html", {"form": form, "case": found}, status=status)
