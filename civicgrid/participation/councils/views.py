"""Pages of the 议事会: staff (councils, meetings, open resolutions) and residents (proposals).
Every view declares its policy (docs/architecture.md "One way in"); writes go through
``services`` and answer refusals as messages, never a 500."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicgrid.core.pagination import paginate
from civicgrid.core.policy import LIST, NONE, OBJECT, policy
from civicgrid.core.scoping import prefix_q
from civicgrid.geo.models import Region
from civicgrid.participation.councils import selectors, services
from civicgrid.participation.councils.choices import (
    CASE_DECISIONS,
    COUNCIL_KEEPERS,
    COUNCIL_READERS,
    PROPOSAL_DECISIONS,
    PROPOSAL_USERS,
    RESIDENTS,
    ItemKind,
    MeetingStatus,
    ProposalStatus,
    VoteChoice,
)
from civicgrid.participation.councils.forms import (
    CommunityForm,
    CouncilForm,
    MeetingForm,
    MemberForm,
    NoteForm,
    ProgressForm,
    ProposalForm,
    ReasonForm,
    ResolutionForm,
    VoteForm,
    apply_service_errors,
)
from civicgrid.participation.councils.models import Support
from civicgrid.participation.councils.presenters import (
    present_council,
    present_item,
    present_meeting,
    present_member,
    present_proposal,
    present_resolution,
)
from civicgrid.participation.residents import claim_of


def _refusal(request: HttpRequest, exc: ValidationError | PermissionDenied) -> None:
    if isinstance(exc, PermissionDenied):
        messages.error(request, str(exc) or _("您无权进行该操作"))
        return
    for message in exc.messages:
        messages.error(request, message)


def _form_errors(request: HttpRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}:{error}" if label else error)


def _communities_in_scope(user: Any) -> list[tuple[str, str]]:
    regions = Region.objects.filter(level="community", retired_on__isnull=True)
    if not user.sees_everything:
        regions = regions.filter(prefix_q("code", user.scope_codes))
    return [(r.code, f"{r.name}({r.code})") for r in regions.order_by("code")[:200]]


# --- staff -------------------------------------------------------------------------------------


@policy(roles=COUNCIL_READERS, scope=LIST)
def home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    councils = [present_council(c) for c in selectors.councils_for(user)[:50]]
    meetings = paginate(request, selectors.meetings_for(user))
    resolutions = [present_resolution(r) for r in selectors.open_resolutions(user)[:20]]
    return render(
        request,
        "participation/councils/home.html",
        {
            "councils": councils,
            "page": meetings,
            "meetings": [present_meeting(m) for m in meetings],
            "resolutions": resolutions,
            "can_keep": user.is_superuser or user.role in COUNCIL_KEEPERS,
        },
    )


@policy(roles=COUNCIL_KEEPERS, scope=NONE)
def council_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = CouncilForm(request.POST or None, communities=_communities_in_scope(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            council = services.council_create(actor=user, **data)
        except (ValidationError, PermissionDenied) as exc:
            if isinstance(exc, PermissionDenied):
                form.add_error(None, str(exc))
            else:
                apply_service_errors(form, exc)
        else:
            messages.success(request, _("议事会已成立,请添加成员。"))
            return redirect("councils:council", pk=council.pk)
    return render(request, "participation/councils/council_new.html", {"form": form})


@policy(roles=COUNCIL_READERS, scope=OBJECT)
def council(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    found = selectors.access_council(user, pk)
    members = found.members.order_by("left_on", "role", "id")
    meetings = found.meetings.order_by("-held_at", "-id")[:30]
    return render(
        request,
        "participation/councils/council.html",
        {
            "council": present_council(found),
            "members": [present_member(m) for m in members],
            "meetings": [present_meeting(m) for m in meetings],
            "member_form": MemberForm(),
            "meeting_form": MeetingForm(),
            "can_keep": user.is_superuser or user.role in COUNCIL_KEEPERS,
        },
    )


@require_POST
@policy(roles=COUNCIL_KEEPERS, scope=OBJECT)
def council_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user: Any = request.user
    found = selectors.access_council(user, pk)
    try:
        if action == "member":
            form = MemberForm(request.POST)
            if not form.is_valid():
                _form_errors(request, form)
            else:
                services.member_add(actor=user, council=found, **form.cleaned_data)
                messages.success(request, _("已添加成员。"))
        elif action == "retire":
            member = found.members.filter(pk=_int(request.POST.get("member")) or 0).first()
            if member is None:
                messages.error(request, _("未找到该成员"))
            else:
                services.member_retire(actor=user, member=member)
                messages.success(request, _("已登记该成员退出。"))
        elif action == "meeting":
            mform = MeetingForm(request.POST)
            if not mform.is_valid():
                _form_errors(request, mform)
            else:
                meeting = services.meeting_draft(actor=user, council=found, **mform.cleaned_data)
                messages.success(request, _("会议已创建,请安排议程和出席。"))
                return redirect("councils:meeting", pk=meeting.pk)
        else:
            raise Http404
    except (ValidationError, PermissionDenied) as exc:
        _refusal(request, exc)
    return redirect("councils:council", pk=found.pk)


def _int(value: Any) -> int | None:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


@policy(roles=COUNCIL_READERS, scope=OBJECT)
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    found = selectors.access_meeting(user, pk)
    day = found.held_at.date()
    members = services.members_at(found.council, day)
    present = set(found.attendance.filter(present=True).values_list("member_id", flat=True))
    items = found.items.select_related("case", "proposal", "resolution").order_by("order", "id")
    rows = []
    for item in items:
        result = services.tally(item)
        voted = dict(item.votes.values_list("member_id", "choice"))
        data = present_item(item, result)
        data["voters"] = [
            {
                "id": m.pk,
                "name": m.name,
                "choice": voted.get(m.pk, ""),
                "choice_label": str(VoteChoice(voted[m.pk]).label) if m.pk in voted else "",
            }
            for m in members
            if m.pk in present
        ]
        data["decisions"] = [
            (d.value, d.label)
            for d in (CASE_DECISIONS if item.kind == ItemKind.CASE else PROPOSAL_DECISIONS)
        ]
        rows.append(data)
    can_keep = user.is_superuser or user.role in COUNCIL_KEEPERS
    candidates = (
        services.agenda_candidates(found, user)
        if can_keep and found.status != MeetingStatus.CLOSED
        else {"cases": [], "proposals": []}
    )
    return render(
        request,
        "participation/councils/meeting.html",
        {
            "meeting": present_meeting(found),
            "status": found.status,
            "members": [{**present_member(m), "present": m.pk in present} for m in members],
            "present_count": len(present),
            "items": rows,
            "candidates": candidates,
            "choices": VoteChoice.choices,
            "can_keep": can_keep,
            "open": found.status != MeetingStatus.CLOSED,
            "convened": found.status == MeetingStatus.CONVENED,
            "draft": found.status == MeetingStatus.DRAFT,
            # Before the scheduled time, closing asks for a reason (services.meeting_close).
            "early": timezone.now() < found.held_at,
        },
    )


@require_POST
@policy(roles=COUNCIL_KEEPERS, scope=OBJECT)
def meeting_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user: Any = request.user
    found = selectors.access_meeting(user, pk)
    try:
        if action == "attendance":
            present = [n for n in (_int(v) for v in request.POST.getlist("present")) if n]
            services.attendance_set(actor=user, meeting=found, present=present)
            messages.success(request, _("出席情况已保存。"))
        elif action == "item":
            case_pk, proposal_pk = (
                _int(request.POST.get("case")),
                _int(request.POST.get("proposal")),
            )
            from civicgrid.cases.models import Case
            from civicgrid.participation.councils.models import Proposal

            case = Case.objects.visible_to(user).filter(pk=case_pk).first() if case_pk else None
            proposal = (
                Proposal.objects.visible_to(user).filter(pk=proposal_pk).first()
                if proposal_pk
                else None
            )
            if case is None and proposal is None:
                messages.error(request, _("请选择要列入议程的事件或议题"))
            else:
                services.item_add(actor=user, meeting=found, case=case, proposal=proposal)
                messages.success(request, _("已列入议程。"))
        elif action == "convene":
            services.meeting_convene(actor=user, meeting=found)
            messages.success(request, _("会议开始。"))
        elif action == "close":
            services.meeting_close(
                actor=user,
                meeting=found,
                reason=request.POST.get("reason", "")[:200],
                request=request,
            )
            messages.success(request, _("会议已闭会。"))
        else:
            raise Http404
    except (ValidationError, PermissionDenied) as exc:
        _refusal(request, exc)
    return redirect("councils:meeting", pk=found.pk)


@require_POST
@policy(roles=COUNCIL_KEEPERS, scope=OBJECT)
def item_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user: Any = request.user
    item = selectors.access_item(user, pk)
    anchor = f"#item-{item.pk}"
    try:
        if action == "note":
            form = NoteForm(request.POST)
            if form.is_valid():
                services.item_note(actor=user, item=item, text=form.cleaned_data["discussion"])
                messages.success(request, _("讨论记录已保存。"))
            else:
                _form_errors(request, form)
        elif action == "vote":
            vform = VoteForm(request.POST)
            if not vform.is_valid():
                _form_errors(request, vform)
            else:
                member = item.meeting.council.members.filter(
                    pk=vform.cleaned_data["member"]
                ).first()
                if member is None:
                    messages.error(request, _("该成员不是本议事会成员"))
                else:
                    services.vote_cast(
                        actor=user, item=item, member=member, choice=vform.cleaned_data["choice"]
                    )
                    messages.success(request, _("已记录 %(name)s 的表决。") % {"name": member.name})
        elif action == "resolve":
            rform = ResolutionForm(request.POST)
            if not rform.is_valid():
                _form_errors(request, rform)
            else:
                services.item_resolve(actor=user, item=item, **rform.cleaned_data)
                messages.success(request, _("决议已形成。"))
        else:
            raise Http404
    except (ValidationError, PermissionDenied) as exc:
        _refusal(request, exc)
    return redirect(f"{_meeting_url(item.meeting_id)}{anchor}")


def _meeting_url(pk: int) -> str:
    from django.urls import reverse

    return reverse("councils:meeting", args=[pk])


@policy(roles=COUNCIL_READERS, scope=LIST)
def resolutions(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    page = paginate(request, selectors.open_resolutions(user))
    return render(
        request,
        "participation/councils/resolutions.html",
        {"page": page, "rows": [present_resolution(r) for r in page]},
    )


@policy(roles=COUNCIL_READERS, scope=OBJECT)
def resolution(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    found = selectors.access_resolution(user, pk)
    can_keep = user.is_superuser or user.role in COUNCIL_KEEPERS
    form = ProgressForm(request.POST or None, initial={"status": found.status})
    if request.method == "POST":
        if not can_keep:
            raise PermissionDenied(_("只有社区书记或社区干部可以登记落实进展"))
        if form.is_valid():
            try:
                services.resolution_progress(actor=user, resolution=found, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                _refusal(request, exc)
            else:
                messages.success(request, _("落实进展已登记。"))
                return redirect("councils:resolution", pk=found.pk)
    updates = found.updates.select_related("by").order_by("at", "id")
    return render(
        request,
        "participation/councils/resolution.html",
        {
            "resolution": present_resolution(found),
            # The page links to what was decided (the case or the residents' proposal), so the
            # keeper reaches the case's 议事会决议 panel without going back through the meeting.
            "item": present_item(found.item),
            "meeting_url": _meeting_url(found.item.meeting_id),
            "updates": [
                {
                    "at": u.at,
                    "by": str(u.by),
                    "status_label": u.get_status_display(),
                    "note": u.note,
                }
                for u in updates
            ],
            "form": form,
            "can_keep": can_keep,
        },
    )


# --- residents and proposals ---------------------------------------------------------------------


def _is_resident(user: Any) -> bool:
    return user.role == "resident" and not user.is_superuser


@policy(roles=PROPOSAL_USERS, scope=LIST)
def proposals(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    community = services.resident_community(user) if _is_resident(user) else None
    status = request.GET.get("status", "")
    found = selectors.proposals_for(user).select_related("proposer")
    if status in ProposalStatus.values:
        found = found.filter(status=status)
    page = paginate(request, found)
    supported = set(
        Support.objects.filter(
            user=user, withdrawn_at__isnull=True, proposal__in=[p.pk for p in page]
        ).values_list("proposal_id", flat=True)
    )
    region = Region.objects.filter(code=community).first() if community else None
    choose = None
    if _is_resident(user) and community is None:
        choose = CommunityForm(communities=_all_communities())
    return render(
        request,
        "participation/councils/proposals.html",
        {
            "page": page,
            "rows": [present_proposal(p, user, supported=p.pk in supported) for p in page],
            "resident": _is_resident(user),
            "community": region,
            "council": services.active_council(community) if community else None,
            "choose": choose,
            # The resident's own claim: pending (still counts) or rejected (choose again).
            "claim": claim_of(user) if _is_resident(user) else None,
            "status": status,
            "statuses": ProposalStatus.choices,
        },
    )


def _all_communities() -> list[tuple[str, str]]:
    regions = Region.objects.filter(level="community", retired_on__isnull=True).select_related(
        "parent"
    )
    return [
        (r.code, f"{r.parent.name if r.parent else ''} {r.name}".strip())
        for r in regions.order_by("code")[:500]
    ]


@require_POST
@policy(roles=RESIDENTS, scope=NONE)
def proposal_community(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = CommunityForm(request.POST, communities=_all_communities())
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            services.resident_community_choose(actor=user, code=form.cleaned_data["community"])
        except (ValidationError, PermissionDenied) as exc:
            _refusal(request, exc)
        else:
            messages.success(request, _("已登记您所在的社区。"))
    return redirect("councils:proposals")


@policy(roles=RESIDENTS, scope=NONE)
def proposal_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if services.resident_community(user) is None:
        messages.error(request, _("请先选择您所在的社区"))
        return redirect("councils:proposals")
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.proposal_create(actor=user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("议题已提出,邻居们支持达到门槛后将提交议事会。"))
            return redirect("councils:proposal", pk=created.pk)
    return render(request, "participation/councils/proposal_new.html", {"form": form})


@policy(roles=PROPOSAL_USERS, scope=OBJECT)
def proposal(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    found = selectors.access_proposal(user, pk)
    supported = Support.objects.filter(
        proposal=found, user=user, withdrawn_at__isnull=True
    ).exists()
    council = services.active_council(found.community_code)
    return render(
        request,
        "participation/councils/proposal.html",
        {
            "proposal": present_proposal(found, user, supported=supported),
            "threshold": council.support_threshold if council else None,
            "resident": _is_resident(user),
            "can_support": _is_resident(user)
            and found.proposer_id != user.pk
            and found.status in (ProposalStatus.COLLECTING, ProposalStatus.READY),
            "can_decline": (user.is_superuser or user.role in COUNCIL_KEEPERS)
            and found.status in (ProposalStatus.COLLECTING, ProposalStatus.READY),
            "decline_form": ReasonForm(),
        },
    )


@require_POST
@policy(roles=PROPOSAL_USERS, scope=OBJECT)
def proposal_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user: Any = request.user
    found = selectors.access_proposal(user, pk)
    try:
        if action == "support":
            services.proposal_support(actor=user, proposal=found)
            messages.success(request, _("感谢您的支持。"))
        elif action == "withdraw":
            services.proposal_withdraw_support(actor=user, proposal=found)
            messages.success(request, _("已撤回支持。"))
        elif action == "decline":
            form = ReasonForm(request.POST)
            if not form.is_valid():
                _form_errors(request, form)
            else:
                services.proposal_decline(
                    actor=user, proposal=found, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("已不予采纳,提议人和支持者会收到理由。"))
        else:
            raise Http404
    except (ValidationError, PermissionDenied) as exc:
        _refusal(request, exc)
    return redirect("councils:proposal", pk=found.pk)
