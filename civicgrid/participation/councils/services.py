"""Everything that changes a council, a meeting or a proposal (docs/architecture.md "议事会").

Pages and API call these same functions. Each checks the actor's role and the jurisdiction of
every object it touches (rule 8) and refuses with a Chinese ``ValidationError`` (422 in the
API, a form error on a page) or ``PermissionDenied``. A resolution on a case item moves the
case through ``case_transition`` in the same transaction as the resolution row: when the case
has moved on meanwhile, nothing is written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.accounts.choices import Role
from civicgrid.cases.choices import Action, CaseStatus, HandlingLevel
from civicgrid.cases.models import Case
from civicgrid.cases.workflow import TransitionError, case_transition
from civicgrid.core.audit import audit_record
from civicgrid.geo.models import Region
from civicgrid.notifications.services import notify
from civicgrid.participation import residents
from civicgrid.participation.councils.choices import (
    CASE_DECISIONS,
    COUNCIL_KEEPERS,
    PROPOSAL_DECISIONS,
    Decision,
    FollowUp,
    ItemKind,
    MeetingStatus,
    PassBase,
    ProposalStatus,
    VoteChoice,
)
from civicgrid.participation.councils.models import (
    AgendaItem,
    Attendance,
    Council,
    CouncilMember,
    Meeting,
    Proposal,
    Resolution,
    ResolutionUpdate,
    Support,
    Vote,
)

# --- who may ---------------------------------------------------------------------------------


def _keeper(actor: Any, code: str) -> None:
    """The actor keeps the council of ``code``: a keeper role with the community in scope."""
    if not (actor.is_superuser or actor.role in COUNCIL_KEEPERS):
        raise PermissionDenied(_("只有社区书记或社区干部可以主持议事会"))
    if not actor.in_scope(code, reads="cases"):
        raise PermissionDenied(_("该社区不在您的管辖范围内"))


def _resident(actor: Any) -> None:
    if actor.role != Role.RESIDENT:
        raise PermissionDenied(_("只有居民可以提出和支持议题"))


# --- the resident's community ------------------------------------------------------------------

# One place decides a resident's community (participation.residents); these names stay for
# the callers that know them from here.
resident_community = residents.resident_community


def resident_community_choose(*, actor: Any, code: str) -> str:
    return residents.community_choose(actor=actor, code=code)


def active_council(code: str) -> Council | None:
    return Council.objects.filter(community_code=code, retired_on__isnull=True).first()


# --- councils and members ----------------------------------------------------------------------


def council_create(
    *,
    actor: Any,
    community_code: str,
    name: str,
    quorum_ratio: Decimal = Decimal("0.50"),
    pass_ratio: Decimal = Decimal("0.50"),
    pass_base: str = PassBase.CAST,
    support_threshold: int = 10,
) -> Council:
    _keeper(actor, community_code)
    if not Region.objects.filter(
        code=community_code, level="community", retired_on__isnull=True
    ).exists():
        raise ValidationError({"community_code": _("请选择社区")})
    if active_council(community_code) is not None:
        raise ValidationError(_("该社区已有议事会"))
    council = Council(
        community_code=community_code,
        name=name.strip(),
        quorum_ratio=quorum_ratio,
        pass_ratio=pass_ratio,
        pass_base=pass_base,
        support_threshold=support_threshold,
    )
    council.full_clean()
    council.save()
    return council


def member_add(
    *,
    actor: Any,
    council: Council,
    name: str,
    role: str,
    user: Any = None,
    joined_on: date | None = None,
) -> CouncilMember:
    _keeper(actor, council.community_code)
    name = (name or "").strip() or (str(user) if user is not None else "")
    if not name:
        raise ValidationError({"name": _("请填写成员姓名")})
    member = CouncilMember(
        council=council,
        name=name,
        role=role,
        user=user,
        joined_on=joined_on or timezone.localdate(),
    )
    member.full_clean()
    member.save()
    return member


def member_retire(*, actor: Any, member: CouncilMember, on: date | None = None) -> CouncilMember:
    _keeper(actor, member.council.community_code)
    if member.left_on is None:
        member.left_on = on or timezone.localdate()
        member.save(update_fields=["left_on"])
    return member


def members_at(council: Council, day: date) -> list[CouncilMember]:
    return list(
        council.members.filter(joined_on__lte=day).exclude(left_on__lt=day).order_by("role", "id")
    )


# --- meetings ----------------------------------------------------------------------------------


def meeting_draft(*, actor: Any, council: Council, held_at: datetime, place: str) -> Meeting:
    _keeper(actor, council.community_code)
    if council.retired_on is not None:
        raise ValidationError(_("该议事会已撤销"))
    place = (place or "").strip()
    if not place:
        raise ValidationError({"place": _("请填写会议地点")})
    return Meeting.objects.create(
        council=council,
        community_code=council.community_code,
        held_at=held_at,
        place=place[:100],
        created_by=actor,
    )


def _open(meeting: Meeting, *states: str) -> None:
    if meeting.status == MeetingStatus.CLOSED:
        raise ValidationError(_("会议已闭会,不能再修改"))
    if states and meeting.status not in states:
        raise ValidationError(
            _("会议当前为“%(status)s”,不能进行该操作") % {"status": meeting.get_status_display()}
        )


def agenda_candidates(meeting: Meeting, actor: Any) -> dict[str, list[Any]]:
    """What a meeting may take up: the community's cases routed to the council (in the
    actor's view) and its residents' proposals that reached the support threshold."""
    taken = meeting.items.values_list("case_id", flat=True)
    cases = (
        Case.objects.visible_to(actor)
        .filter(status=CaseStatus.COUNCIL, grid_code__startswith=meeting.community_code)
        .exclude(pk__in=[c for c in taken if c])
        .select_related("category")
        .order_by("reported_at", "id")[:50]
    )
    proposals = Proposal.objects.filter(
        community_code=meeting.community_code, status=ProposalStatus.READY
    ).order_by("ready_at", "id")[:50]
    return {"cases": list(cases), "proposals": list(proposals)}


@transaction.atomic
def item_add(
    *, actor: Any, meeting: Meeting, case: Case | None = None, proposal: Proposal | None = None
) -> AgendaItem:
    _keeper(actor, meeting.community_code)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _open(meeting)
    order = meeting.items.count() + 1
    if case is not None:
        # Writes check every object they touch (rule 8): a case out of view reads as missing.
        if not Case.objects.visible_to(actor).filter(pk=case.pk).exists() or not (
            case.grid_code.startswith(meeting.community_code)
        ):
            raise ValidationError({"case": _("未找到该事件,或该事件不属于本社区")})
        if case.status != CaseStatus.COUNCIL:
            raise ValidationError({"case": _("只有已分流至议事会的事件才能列入议程")})
        if meeting.items.filter(case=case).exists():
            raise ValidationError({"case": _("该事件已在本次会议议程中")})
        title = f"{case.number} {case.category.name}"
        return AgendaItem.objects.create(
            meeting=meeting,
            community_code=meeting.community_code,
            order=order,
            kind=ItemKind.CASE,
            case=case,
            title=title[:100],
        )
    if proposal is not None:
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.community_code != meeting.community_code:
            raise ValidationError({"proposal": _("未找到该议题,或该议题不属于本社区")})
        if proposal.status != ProposalStatus.READY:
            raise ValidationError({"proposal": _("只有达到支持门槛的议题才能列入议程")})
        proposal.status = ProposalStatus.ON_AGENDA
        proposal.save(update_fields=["status"])
        _tell_proposal(proposal, _("您关注的议题已列入议事会议程"))
        return AgendaItem.objects.create(
            meeting=meeting,
            community_code=meeting.community_code,
            order=order,
            kind=ItemKind.PROPOSAL,
            proposal=proposal,
            title=proposal.title,
        )
    raise ValidationError(_("请选择要列入议程的事件或议题"))


@transaction.atomic
def attendance_set(*, actor: Any, meeting: Meeting, present: list[int]) -> list[Attendance]:
    """Record who is present (the members of the council on the meeting's day)."""
    _keeper(actor, meeting.community_code)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _open(meeting)
    members = members_at(meeting.council, timezone.localtime(meeting.held_at).date())
    known = {m.pk for m in members}
    wanted = set(present)
    if wanted - known:
        raise ValidationError({"present": _("出席人员须是本议事会成员")})
    voted = set(Vote.objects.filter(item__meeting=meeting).values_list("member_id", flat=True))
    if voted - wanted:
        raise ValidationError({"present": _("已参加表决的成员不能改为缺席")})
    rows = []
    for member in members:
        row, _created = Attendance.objects.update_or_create(
            meeting=meeting, member=member, defaults={"present": member.pk in wanted}
        )
        rows.append(row)
    return rows


def meeting_convene(*, actor: Any, meeting: Meeting) -> Meeting:
    _keeper(actor, meeting.community_code)
    _open(meeting, MeetingStatus.DRAFT)
    if not meeting.items.exists():
        raise ValidationError(_("请先列入至少一项议程"))
    won = Meeting.objects.filter(pk=meeting.pk, status=MeetingStatus.DRAFT).update(
        status=MeetingStatus.CONVENED, convened_at=timezone.now()
    )
    if won != 1:
        raise ValidationError(_("会议状态刚刚被他人修改,请刷新后重试"))
    meeting.refresh_from_db()
    return meeting


@transaction.atomic
def meeting_close(
    *, actor: Any, meeting: Meeting, reason: str = "", request: Any = None
) -> Meeting:
    """Close the meeting. Proposals it did not resolve wait for the next meeting again.

    Before the scheduled time a meeting closes only with a stated reason (kept on the meeting
    and audited): residents were told the time, so ending before it is a decision to account
    for, not a slip of the button."""
    _keeper(actor, meeting.community_code)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _open(meeting, MeetingStatus.CONVENED)
    now = timezone.now()
    reason = (reason or "").strip()
    early = now < meeting.held_at
    if early and not reason:
        raise ValidationError(
            {
                "reason": _(
                    "会议预定于 %(time)s 召开,尚未到时间。如确需提前闭会,请填写提前闭会的理由"
                )
                % {"time": timezone.localtime(meeting.held_at).strftime("%Y-%m-%d %H:%M")}
            }
        )
    meeting.status = MeetingStatus.CLOSED
    meeting.closed_at = now
    meeting.early_close_reason = reason[:200] if early else ""
    meeting.save(update_fields=["status", "closed_at", "early_close_reason"])
    if early:
        audit_record(
            actor=actor,
            action="council_meeting_close_early",
            target=meeting,
            reason=meeting.early_close_reason,
            request=request,
        )
    unresolved = meeting.items.filter(kind=ItemKind.PROPOSAL, resolution__isnull=True)
    Proposal.objects.filter(
        pk__in=unresolved.values("proposal_id"), status=ProposalStatus.ON_AGENDA
    ).update(status=ProposalStatus.READY)
    return meeting


def item_note(*, actor: Any, item: AgendaItem, text: str) -> AgendaItem:
    _keeper(actor, item.community_code)
    _open(item.meeting)
    item.discussion = (text or "").strip()[:10000]
    item.save(update_fields=["discussion"])
    return item


# --- votes -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    members: int
    present: int
    votes_for: int
    votes_against: int
    votes_abstain: int
    quorum: bool
    passed: bool

    @property
    def cast(self) -> int:
        return self.votes_for + self.votes_against + self.votes_abstain


def count(
    *,
    members: int,
    present: int,
    votes_for: int,
    votes_against: int,
    votes_abstain: int,
    quorum_ratio: Decimal,
    pass_ratio: Decimal,
    pass_base: str,
) -> Tally:
    """The council's rule as data: a quorum when more than ``quorum_ratio`` of the members are
    present; a motion passes when the votes for are more than ``pass_ratio`` of the base (the
    votes cast, abstentions included, or the members present). A tie never passes."""
    quorum = members > 0 and present > quorum_ratio * members
    cast = votes_for + votes_against + votes_abstain
    base = present if pass_base == PassBase.PRESENT else cast
    passed = quorum and base > 0 and votes_for > pass_ratio * base
    return Tally(members, present, votes_for, votes_against, votes_abstain, quorum, passed)


def tally(item: AgendaItem) -> Tally:
    meeting = item.meeting
    council = meeting.council
    members = len(members_at(council, timezone.localtime(meeting.held_at).date()))
    present = meeting.attendance.filter(present=True).count()
    counted = {c: 0 for c in VoteChoice.values}
    for choice in item.votes.values_list("choice", flat=True):
        counted[choice] += 1
    return count(
        members=members,
        present=present,
        votes_for=counted[VoteChoice.FOR],
        votes_against=counted[VoteChoice.AGAINST],
        votes_abstain=counted[VoteChoice.ABSTAIN],
        quorum_ratio=council.quorum_ratio,
        pass_ratio=council.pass_ratio,
        pass_base=council.pass_base,
    )


def vote_cast(
    *, actor: Any, item: AgendaItem, member: CouncilMember, choice: str, at: datetime | None = None
) -> Vote:
    """Record one present member's vote on an item; a vote once cast is never changed."""
    _keeper(actor, item.community_code)
    meeting = item.meeting
    if meeting.status == MeetingStatus.CLOSED:
        raise ValidationError(_("会议已闭会,不能再表决"))
    if meeting.status != MeetingStatus.CONVENED:
        raise ValidationError(_("会议尚未开始,不能表决"))
    if choice not in VoteChoice.values:
        raise ValidationError({"choice": _("表决只能是 赞成、反对 或 弃权")})
    if member.council_id != meeting.council_id:
        raise ValidationError({"member": _("该成员不是本议事会成员")})
    if not meeting.attendance.filter(member=member, present=True).exists():
        raise ValidationError({"member": _("只有出席会议的成员才能表决")})
    if not tally(item).quorum:
        raise ValidationError(_("出席人数未达到法定人数,不能表决"))
    if hasattr(item, "resolution"):
        raise ValidationError(_("该议程已形成决议,不能再表决"))
    try:
        with transaction.atomic():
            return Vote.objects.create(
                item=item,
                member=member,
                choice=choice,
                cast_at=at or timezone.now(),
                recorded_by=actor,
            )
    except IntegrityError as exc:
        raise ValidationError(
            _("%(name)s 已对该议程表决,表决一经作出不能更改") % {"name": member.name}
        ) from exc


# --- resolutions -------------------------------------------------------------------------------


def follow_up_note(text: str, responsible: str, due_on: date) -> str:
    """The note of the case's event for a resolution: what was decided, who follows it up and
    by when. The workflow keeps a note on every event, so the case's history carries the
    follow-up wherever the case is read (its page, the API, exports); the council's case panel
    shows the same from the resolution row, with how far it got."""
    follow = _("跟进责任人:%(who)s;完成时限:%(due)s") % {
        "who": responsible[:50],
        "due": due_on.isoformat(),
    }
    return f"{text}\n{follow}"


def _move_case(case: Case, decision: str, text: str, actor: Any, at: datetime) -> None:
    if decision == Decision.COMMUNITY:
        case_transition(
            case=case,
            action=Action.ROUTE,
            actor=actor,
            level=HandlingLevel.COMMUNITY,
            note=text,
            at=at,
        )
    elif decision == Decision.STREET:
        case_transition(
            case=case,
            action=Action.ROUTE,
            actor=actor,
            level=HandlingLevel.STREET,
            note=text,
            at=at,
        )
    elif decision == Decision.RESOLVED:
        case_transition(case=case, action=Action.FEEDBACK, actor=actor, note=text, at=at)
    else:
        case_transition(case=case, action=Action.VOID, actor=actor, note=text, at=at)


@transaction.atomic
def item_resolve(
    *,
    actor: Any,
    item: AgendaItem,
    decision: str,
    text: str,
    responsible: str,
    due_on: date,
    at: datetime | None = None,
) -> Resolution:
    """Record the resolution of an item whose vote passed. A case item's case moves on with
    exactly one CaseEvent; a proposal is resolved or declined and its people are told."""
    _keeper(actor, item.community_code)
    item = (
        AgendaItem.objects.select_for_update(of=("self",))
        .select_related("meeting__council")
        .get(pk=item.pk)
    )
    meeting = item.meeting
    if meeting.status == MeetingStatus.CLOSED:
        raise ValidationError(_("会议已闭会,不能再形成决议"))
    if meeting.status != MeetingStatus.CONVENED:
        raise ValidationError(_("会议尚未开始,不能形成决议"))
    if Resolution.objects.filter(item=item).exists():
        raise ValidationError(_("该议程已形成决议"))
    text = (text or "").strip()
    responsible = (responsible or "").strip()
    if not text:
        raise ValidationError({"text": _("请填写决议内容")})
    if not responsible:
        raise ValidationError({"responsible": _("请填写责任人")})
    if due_on is None:
        raise ValidationError({"due_on": _("请填写完成时限")})
    allowed = CASE_DECISIONS if item.kind == ItemKind.CASE else PROPOSAL_DECISIONS
    if decision not in allowed:
        raise ValidationError({"decision": _("请选择该议程可用的决议事项")})
    result = tally(item)
    if not result.quorum:
        raise ValidationError(_("出席人数未达到法定人数,不能形成决议"))
    if not result.passed:
        raise ValidationError(
            _("表决未通过(赞成 %(f)s,反对 %(a)s,弃权 %(b)s),不能形成决议")
            % {"f": result.votes_for, "a": result.votes_against, "b": result.votes_abstain}
        )
    if item.kind == ItemKind.CASE:
        case = Case.objects.get(pk=item.case_id or 0)
        # The council decides only what is still on its agenda: a case the community took
        # back meanwhile must not be fed back in the council's name (the table would allow
        # FEEDBACK from COMMUNITY too).
        if case.status != CaseStatus.COUNCIL:
            raise ValidationError(
                _("事件已发生变化,决议未保存:事件当前为“%(status)s”,不在议事会议程中")
                % {"status": case.get_status_display()}
            )
        try:
            _move_case(
                case,
                decision,
                follow_up_note(text, responsible, due_on),
                actor,
                at or timezone.now(),
            )
        except TransitionError as exc:
            raise ValidationError(
                _("事件已发生变化,决议未保存:%(why)s") % {"why": str(exc)}
            ) from exc
    resolution = Resolution.objects.create(
        item=item,
        community_code=item.community_code,
        decision=decision,
        text=text,
        votes_for=result.votes_for,
        votes_against=result.votes_against,
        votes_abstain=result.votes_abstain,
        responsible=responsible[:50],
        due_on=due_on,
        resolved_at=at or timezone.now(),
        resolved_by=actor,
    )
    if item.kind == ItemKind.PROPOSAL:
        proposal = Proposal.objects.select_for_update().get(pk=item.proposal_id or 0)
        if decision == Decision.DECLINED:
            proposal.status = ProposalStatus.DECLINED
            proposal.decline_reason = text[:500]
            proposal.declined_by = actor
        else:
            proposal.status = ProposalStatus.RESOLVED
        proposal.save(update_fields=["status", "decline_reason", "declined_by"])
        _tell_proposal(proposal, _("您关注的议题已有议事会决议"))
    return resolution


def resolution_progress(
    *, actor: Any, resolution: Resolution, status: str, note: str
) -> ResolutionUpdate:
    _keeper(actor, resolution.community_code)
    if status not in FollowUp.values:
        raise ValidationError({"status": _("落实情况只能是 落实中 或 已落实")})
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("请填写进展说明")})
    with transaction.atomic():
        update = ResolutionUpdate.objects.create(
            resolution=resolution, at=timezone.now(), by=actor, status=status, note=note[:500]
        )
        Resolution.objects.filter(pk=resolution.pk).update(status=status)
    resolution.status = status
    return update


# --- proposals ---------------------------------------------------------------------------------


def _tell_proposal(proposal: Proposal, title: str) -> None:
    from django.urls import reverse

    people = [proposal.proposer]
    people += [
        s.user for s in proposal.supports.filter(withdrawn_at__isnull=True).select_related("user")
    ]
    url = reverse("councils:proposal", args=[proposal.pk])
    transaction.on_commit(
        lambda: notify(recipients=people, kind="council", title=title, body=proposal.title, url=url)
    )


def proposal_create(
    *,
    actor: Any,
    title: str,
    description: str,
    address: str = "",
    lat: float | None = None,
    lng: float | None = None,
    community_code: str | None = None,
) -> Proposal:
    _resident(actor)
    mine = residents.claim_for_action(actor)
    if mine is None:
        raise ValidationError(_("请先选择您所在的社区"))
    if community_code and community_code != mine:
        raise ValidationError({"community_code": _("只能向您所在社区的议事会提出议题")})
    if active_council(mine) is None:
        raise ValidationError(_("您所在社区尚未成立议事会"))
    title, description = (title or "").strip(), (description or "").strip()
    if not title:
        raise ValidationError({"title": _("请填写议题标题")})
    if not description:
        raise ValidationError({"description": _("请说明议题内容")})
    if (lat is None) != (lng is None):
        raise ValidationError({"lat": _("位置须同时包含纬度和经度")})
    if lat is not None and lng is not None and not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise ValidationError({"lat": _("坐标超出范围:纬度 -90~90,经度 -180~180")})
    proposal = Proposal(
        community_code=mine,
        title=title[:100],
        description=description[:4000],
        address=(address or "").strip()[:200],
        lat=lat,
        lng=lng,
        proposer=actor,
        created_at=timezone.now(),
    )
    proposal.save()
    return proposal


def _reached(proposal: Proposal) -> None:
    council = active_council(proposal.community_code)
    threshold = council.support_threshold if council else None
    if (
        threshold is not None
        and proposal.status == ProposalStatus.COLLECTING
        and proposal.support_count >= threshold
    ):
        proposal.status = ProposalStatus.READY
        proposal.ready_at = timezone.now()
        proposal.save(update_fields=["status", "ready_at"])
        _tell_proposal(proposal, _("您关注的议题已达到支持门槛,将提交议事会"))


@transaction.atomic
def proposal_support(*, actor: Any, proposal: Proposal) -> Proposal:
    _resident(actor)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if residents.claim_for_action(actor) != proposal.community_code:
        raise ValidationError(_("只能支持本社区居民提出的议题"))
    if proposal.proposer_id == actor.pk:
        raise ValidationError(_("不能支持自己提出的议题"))
    if proposal.status not in (ProposalStatus.COLLECTING, ProposalStatus.READY):
        raise ValidationError(_("该议题已不再征集支持"))
    support = Support.objects.filter(proposal=proposal, user=actor).first()
    if support is not None and support.withdrawn_at is None:
        raise ValidationError(_("您已支持过该议题"))
    if support is None:
        Support.objects.create(proposal=proposal, user=actor, at=timezone.now())
    else:
        # A renewed support: the same row, so each resident counts once.
        support.at, support.withdrawn_at = timezone.now(), None
        support.save(update_fields=["at", "withdrawn_at"])
    Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") + 1)
    proposal.refresh_from_db()
    _reached(proposal)
    return proposal


@transaction.atomic
def proposal_withdraw_support(*, actor: Any, proposal: Proposal) -> Proposal:
    _resident(actor)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    support = Support.objects.filter(
        proposal=proposal, user=actor, withdrawn_at__isnull=True
    ).first()
    if support is None:
        raise ValidationError(_("您尚未支持该议题"))
    if proposal.status not in (ProposalStatus.COLLECTING, ProposalStatus.READY):
        raise ValidationError(_("该议题已列入议程或已办结,不能撤回支持"))
    support.withdrawn_at = timezone.now()
    support.save(update_fields=["withdrawn_at"])
    Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") - 1)
    proposal.refresh_from_db()
    return proposal


def supports_of_rejected_resident(user: Any, community_code: str) -> int:
    """A resident the secretary found not to live in the community: their supports of its
    proposals still before the council stop counting (withdrawn, the record kept), and a
    proposal that falls below the threshold collects support again. Runs inside the
    rejection's transaction (``residents.claim_decide``); the number withdrawn."""
    supports = Support.objects.filter(
        user=user,
        withdrawn_at__isnull=True,
        proposal__community_code=community_code,
        proposal__status__in=(ProposalStatus.COLLECTING, ProposalStatus.READY),
    ).order_by("proposal_id")
    council = active_council(community_code)
    threshold = council.support_threshold if council else None
    withdrawn = 0
    for support in supports:
        proposal = Proposal.objects.select_for_update().get(pk=support.proposal_id)
        support.withdrawn_at = timezone.now()
        support.save(update_fields=["withdrawn_at"])
        Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") - 1)
        proposal.refresh_from_db()
        if (
            proposal.status == ProposalStatus.READY
            and threshold is not None
            and proposal.support_count < threshold
        ):
            proposal.status, proposal.ready_at = ProposalStatus.COLLECTING, None
            proposal.save(update_fields=["status", "ready_at"])
        withdrawn += 1
    return withdrawn


def proposal_decline(*, actor: Any, proposal: Proposal, reason: str) -> Proposal:
    _keeper(actor, proposal.community_code)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写不予采纳的理由")})
    with transaction.atomic():
        won = Proposal.objects.filter(
            pk=proposal.pk, status__in=(ProposalStatus.COLLECTING, ProposalStatus.READY)
        ).update(status=ProposalStatus.DECLINED, decline_reason=reason[:500], declined_by=actor)
        if won != 1:
            raise ValidationError(_("该议题已列入议程或已办结,不能在此不予采纳"))
        proposal.refresh_from_db()
        _tell_proposal(proposal, _("您关注的议题未被采纳"))
    return proposal
