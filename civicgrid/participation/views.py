"""Pages of the community portal (public, no account needed) and of its staff side (notices
and grid workers' cards). Every view declares its policy (docs/architecture.md "One way in");
public ones are rate-limited per client (``core.throttle``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicgrid.core import throttle
from civicgrid.core.client_ip import client_ip
from civicgrid.core.files import protected_file_response
from civicgrid.core.pagination import paginate
from civicgrid.core.policy import LIST, NONE, OBJECT, policy
from civicgrid.geo.models import Region
from civicgrid.participation import residents, selectors, services
from civicgrid.participation.choices import (
    CARD_EDITORS,
    NOTICE_STAFF,
    RESIDENT_CONFIRMERS,
    ClaimStatus,
    NoticeStatus,
)
from civicgrid.participation.disclosure import parse_month, with_assessment
from civicgrid.participation.forms import CardForm, NoticeForm, ReasonForm, apply_service_errors
from civicgrid.participation.models import GridWorkerCard, NoticeAttachment
from civicgrid.participation.portal import portal_sections
from civicgrid.participation.presenters import (
    present_card,
    present_claim,
    present_grid,
    present_notice_public,
    present_notice_staff,
)

PUBLIC = policy(public=True)
PAGE_LIMIT = settings.PORTAL_PAGE_LIMIT_PER_MINUTE


def public_allowed(request: HttpRequest, scope: str = "portal", limit: int = 0) -> bool:
    """Count one public request of this client; False once over the per-minute limit."""
    return throttle.hit(
        f"participation-{scope}",
        client_ip(request) or "unknown",
        limit=limit or PAGE_LIMIT,
        window_seconds=60,
    )


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "participation/busy.html",
        {"message": _("访问过于频繁,请稍后再试。")},
        status=429,
    )


# --- public ---------------------------------------------------------------------------------


@PUBLIC
def home(request: HttpRequest) -> HttpResponse:
    """Choose district → street → community, or find it from the phone's position."""
    if not public_allowed(request):
        return _too_many(request)
    return render(request, "participation/home.html", {"tree": selectors.communities_tree()})


@PUBLIC
def community(request: HttpRequest, code: str) -> HttpResponse:
    if not public_allowed(request):
        return _too_many(request)
    region = selectors.public_region(code)
    grids = selectors.community_grids(region)
    cards = selectors.workers_by_grid([g.code for g in grids])
    today = timezone.localdate()
    notices = selectors.notices_for(region.code, today).prefetch_related("targets", "attachments")[
        :20
    ]
    chosen = request.GET.get("grid", "")
    context = {
        "community": region,
        "street": region.parent,
        "grids": [present_grid(g, cards.get(g.code, [])) for g in grids],
        "chosen_grid": chosen if any(g.code == chosen for g in grids) else "",
        "notices": [present_notice_public(n) for n in notices],
        "sections": portal_sections(region),
    }
    return render(request, "participation/community.html", context)


@PUBLIC
def disclosure(request: HttpRequest, code: str) -> HttpResponse:
    if not public_allowed(request):
        return _too_many(request)
    region = selectors.public_region(code, levels=("street", "community"))
    months = selectors.disclosure_months(region.code)
    wanted = request.GET.get("month", "")
    month = parse_month(wanted) if wanted else None
    if wanted and month is None:
        messages.error(request, _("月份格式应为 年-月,例如 2026-10"))
    found = selectors.disclosure_for(region.code, month) if (month or not wanted) else None
    context = {
        "region": region,
        "months": months,
        "disclosure": found,
        "figures": with_assessment(found),
        "asked": wanted,
    }
    return render(request, "participation/disclosure.html", context)


@PUBLIC
def notice(request: HttpRequest, pk: int) -> HttpResponse:
    if not public_allowed(request):
        return _too_many(request)
    found = selectors.public_notice(pk, timezone.localdate())
    services.notice_count_read(found, request)
    return render(request, "participation/notice.html", {"notice": present_notice_public(found)})


@PUBLIC
def notice_file(request: HttpRequest, pk: int, file_pk: int) -> HttpResponseBase:
    """An attachment: public once its notice is published and current; before that only staff
    of the notice's jurisdiction (through ``access_notice``) may open it."""
    if not public_allowed(request):
        return _too_many(request)
    try:
        owner = selectors.public_notice(pk, timezone.localdate())
    except Http404:
        if not request.user.is_authenticated:
            raise
        owner = selectors.access_notice(request.user, pk)
    attachment = NoticeAttachment.objects.filter(notice=owner, pk=file_pk).first()
    if attachment is None:
        raise Http404
    return protected_file_response(attachment.file, download_name=attachment.name)


@PUBLIC
def card_photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    if not public_allowed(request):
        return _too_many(request)
    card = selectors.public_card(pk)
    return protected_file_response(card.photo, cache="public, max-age=3600")


# --- staff: notices --------------------------------------------------------------------------


@policy(roles=NOTICE_STAFF, scope=LIST)
def manage_notices(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    page = paginate(request, selectors.staff_notices(request.user, status))
    rows = [present_notice_staff(n) for n in page]
    return render(
        request,
        "participation/manage_notices.html",
        {"page": page, "rows": rows, "status": status, "statuses": NoticeStatus.choices},
    )


def _notice_input(form: NoticeForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "body": data["body"],
        "targets": data["targets"],
        "starts_on": data["starts_on"],
        "ends_on": data["ends_on"],
        "kind": data["kind"],
        "pinned": data["pinned"],
        "attachments": data["attachments"],
    }


@policy(roles=NOTICE_STAFF, scope=NONE)
def manage_notice_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = NoticeForm(
        request.POST or None,
        request.FILES or None,
        user=user,
        initial={"starts_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = services.notice_draft(actor=user, **_notice_input(form))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("公告已保存为草稿,提交审核后由书记或街道发布。"))
            return redirect("participation:manage_notice", pk=created.pk)
    return render(request, "participation/manage_notice_form.html", {"form": form, "notice": None})


@policy(roles=NOTICE_STAFF, scope=OBJECT)
def manage_notice(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    found = selectors.access_notice(user, pk)
    editable = found.status in services.EDITABLE
    form = None
    if editable:
        initial = {
            "kind": found.kind,
            "title": found.title,
            "body": found.body,
            "targets": [t.code for t in found.targets.all()],
            "starts_on": found.starts_on,
            "ends_on": found.ends_on,
            "pinned": found.pinned,
        }
        form = NoticeForm(request.POST or None, request.FILES or None, user=user, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                services.notice_update(notice=found, actor=user, **_notice_input(form))
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("已保存"))
                return redirect("participation:manage_notice", pk=found.pk)
    elif request.method == "POST":
        raise Http404
    context = {
        "notice": present_notice_staff(found),
        "form": form,
        "can_review": services.may_publish(user, found),
    }
    return render(request, "participation/manage_notice.html", context)


ACTIONS = frozenset({"submit", "publish", "return", "withdraw"})


@policy(roles=NOTICE_STAFF, scope=OBJECT)
@require_POST
def manage_notice_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user: Any = request.user
    found = selectors.access_notice(user, pk)
    if action not in ACTIONS:
        raise Http404
    reason = ReasonForm(request.POST)
    text = reason.cleaned_data["reason"] if reason.is_valid() else ""
    try:
        if action == "submit":
            services.notice_submit(notice=found, actor=user)
        elif action == "publish":
            services.notice_publish(notice=found, actor=user, request=request)
        elif action == "return":
            services.notice_return(notice=found, actor=user, reason=text)
        else:
            services.notice_withdraw(notice=found, actor=user, reason=text, request=request)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("您无权进行此操作"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已完成"))
    return redirect("participation:manage_notice", pk=found.pk)


# --- staff: grid workers' cards --------------------------------------------------------------


@policy(roles=CARD_EDITORS, scope=LIST)
def manage_cards(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.workers_in_jurisdiction(request.user))
    workers = list(page)
    grids = selectors.worker_grid_codes(workers)
    cards = {
        c.user_id: c for c in GridWorkerCard.objects.filter(user__in=workers).select_related("user")
    }
    rows = [
        {
            "id": w.pk,
            "name": str(w),
            "grids": grids.get(w.pk, []),
            "card": present_card(cards[w.pk]) if w.pk in cards else None,
            "published": cards[w.pk].published if w.pk in cards else False,
        }
        for w in workers
    ]
    return render(request, "participation/manage_cards.html", {"page": page, "rows": rows})


@policy(roles=CARD_EDITORS, scope=OBJECT)
def manage_card(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    worker = selectors.access_worker_card(user, pk)
    card = GridWorkerCard.objects.filter(user=worker).first()
    initial = (
        {
            "display_name": card.display_name,
            "public_phone": card.public_phone,
            "service_hours": card.service_hours,
            "published": card.published,
        }
        if card
        else None
    )
    form = CardForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.card_save(worker=worker, actor=user, **data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("公示卡已保存"))
            return redirect("participation:manage_cards")
    context = {
        "worker": worker,
        "form": form,
        "card": present_card(card) if card else None,
    }
    return render(request, "participation/manage_card.html", context)


# --- residents' communities ------------------------------------------------------------------


@policy(roles=RESIDENT_CONFIRMERS, scope=LIST)
def manage_residents(request: HttpRequest) -> HttpResponse:
    """Residents who say they live in a community of the secretary's jurisdiction, by status
    (pending first), to confirm or reject (participation.residents)."""
    status = request.GET.get("status", ClaimStatus.PENDING)
    if status not in ClaimStatus.values:
        status = ClaimStatus.PENDING
    page = paginate(request, residents.claims_visible(request.user, status))
    claims = list(page)
    names = dict(
        Region.objects.filter(code__in={c.community_code for c in claims}).values_list(
            "code", "name"
        )
    )
    context = {
        "page": page,
        "rows": [present_claim(c, names) for c in claims],
        "status": status,
        "statuses": ClaimStatus.choices,
    }
    return render(request, "participation/manage_residents.html", context)


@require_POST
@policy(roles=RESIDENT_CONFIRMERS, scope=OBJECT)
def manage_resident_decide(request: HttpRequest, pk: int) -> HttpResponse:
    claim = residents.access_claim(request.user, pk, for_write=True)
    decision = request.POST.get("decision", "")
    back = request.POST.get("status", "")
    if decision not in ("confirm", "reject"):
        messages.error(request, _("请选择确认或驳回"))
    else:
        try:
            residents.claim_decide(
                actor=request.user,
                claim=claim,
                confirm=decision == "confirm",
                reason=request.POST.get("reason", "")[:200],
                request=request,
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(
                request,
                _("已确认该居民的所属社区") if decision == "confirm" else _("已驳回该居民的登记"),
            )
    target = redirect("participation:manage_residents")
    if back in ClaimStatus.values:
        target["Location"] += f"?status={back}"
    return target
