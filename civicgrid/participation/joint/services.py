"""What a joint meeting (联席会议) does: convene, put cases on the agenda, invite departments,
record a decision per case, apply it to the case, write the minutes and close.

Every write checks the scope of every object it touches (docs/architecture.md "One way in"):
the meeting comes from ``access_meeting``; each case must be visible to the convener and lie
in the meeting's jurisdiction; each department must serve that jurisdiction. A decision is
applied to its case through ``case_transition`` only (rule 2), in one transaction with the
record of its application, so applying twice changes nothing. Refusals are
``ValidationError`` with a Chinese message (the API answers them 422).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import Department, User
from civicgrid.cases import selectors as cases_selectors
from civicgrid.cases.choices import Action, CaseStatus, HandlingLevel
from civicgrid.cases.models import Case, CaseEvent
from civicgrid.cases.workflow import TransitionError, case_transition, dispatch_departments
from civicgrid.core.audit import audit_record
from civicgrid.core.scoping import access_object
from civicgrid.notifications.services import notify
from civicgrid.participation.joint.choices import (
    CONVENERS,
    EARLY_CLOSE_REASON_MAX,
    MAX_AGENDA,
    MAX_DEPARTMENTS,
    MAX_DUE_DAYS,
    MINUTES_MAX,
    NOTE_MAX,
    PARTICIPANTS_MAX,
    PLACE_MAX,
    TITLE_MAX,
    MeetingStatus,
)
from civicgrid.participation.joint.models import AgendaItem, Invitation, JointMeeting

S = CaseStatus
# Where the lead department already works the case: the decision resets its deadline (督办).
WITH_DEPARTMENT = (S.DISPATCHED, S.HANDLING, S.EXTENSION_PENDING)
# Not yet routed up to the street: the command centre may route it (分流) before dispatching.
ROUTABLE = (S.ACCEPTED, S.COUNCIL)


def may_convene(user: Any) -> bool:
    return bool(user.is_superuser or getattr(user, "role", None) in CONVENERS)


def access_meeting(user: Any, pk: Any, *, for_write: bool = False) -> JointMeeting:
    """The meeting if ``user`` may see it (404 otherwise, as if missing); ``for_write``: 403
    for a reader who is not a convener (an invited department)."""
    meeting = access_object(JointMeeting.objects.select_related("convener"), user, pk)
    if for_write and not may_convene(user):
        raise PermissionDenied(_("只有街道(区)网格管理中心可以修改联席会议"))
    return meeting


def access_item(user: Any, pk: Any, *, for_write: bool = False) -> AgendaItem:
    """An agenda item through its meeting's access rule (404 when its meeting is not visible)."""
    try:
        item = AgendaItem.objects.select_related("meeting", "case").get(pk=int(pk))
    except (AgendaItem.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        from django.http import Http404

        raise Http404 from exc
    access_meeting(user, item.meeting_id, for_write=for_write)
    return item


def serves(department: Department, code: str) -> bool:
    """Whether ``department`` works in the jurisdiction ``code``: its region contains it (a
    city or district bureau for a street) or lies inside it (a street office for its district)."""
    region = department.region_code or ""
    return bool(region) and (code.startswith(region) or region.startswith(code))


def departments_serving(code: str) -> QuerySet[Department]:
    """Current departments that serve the jurisdiction ``code`` (``serves``)."""
    return cases_selectors.departments_serving([code]).order_by("region_code", "name")


def convener_regions(user: Any) -> list[str]:
    """The jurisdictions a convener may hold a meeting for: their street or district codes."""
    return [c for c in user.scope_codes if len(c) in (6, 9)]


def _region(actor: Any, region_code: str) -> str:
    code = (region_code or "").strip()
    if not code:
        found = convener_regions(actor)
        if not found:
            raise ValidationError(_("请选择会议所属的街道或区"))
        return found[0]
    if len(code) not in (6, 9) or not code.isdigit():
        raise ValidationError(_("会议所属辖区须为区(6 位)或街道(9 位)区划编码"))
    if not actor.in_scope(code, reads="cases"):
        raise ValidationError(_("该辖区不在您的管辖范围内"))
    return code


def _text(value: str, limit: int, label: str, *, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError(_("请填写%(label)s") % {"label": label})
    if len(text) > limit:
        raise ValidationError(_("%(label)s不能超过 %(n)s 个字") % {"label": label, "n": limit})
    return text


def _departments(code: str, ids: Iterable[Any]) -> list[Department]:
    wanted: list[int] = []
    for value in ids:
        try:
            wanted.append(int(value))
        except (TypeError, ValueError) as exc:
            raise ValidationError(_("部门编号无效")) from exc
    if len(set(wanted)) > MAX_DEPARTMENTS:
        raise ValidationError(_("一次会议最多邀请 %(n)s 个部门") % {"n": MAX_DEPARTMENTS})
    found = {d.pk: d for d in Department.objects.filter(pk__in=wanted)}
    chosen = []
    for pk in dict.fromkeys(wanted):
        dept = found.get(pk)
        if dept is None:
            raise ValidationError(_("所选部门不存在"))
        if dept.retired_on is not None:
            raise ValidationError(_("“%(dept)s”已撤销,不能邀请") % {"dept": dept.name})
        if not serves(dept, code):
            raise ValidationError(
                _("“%(dept)s”不负责本会议所属辖区,不能邀请") % {"dept": dept.name}
            )
        chosen.append(dept)
    return chosen


def cases_by_numbers(actor: Any, numbers: Iterable[str]) -> list[Case]:
    """Cases named by number, each visible to ``actor`` (otherwise refused as not found)."""
    wanted = [n.strip().upper() for n in numbers if n and n.strip()]
    found = {c.number.upper(): c for c in Case.objects.visible_to(actor).filter(number__in=wanted)}
    cases = []
    for number in dict.fromkeys(wanted):
        case = found.get(number)
        if case is None:
            raise ValidationError(
                _("未找到事件 %(number)s,或该事件不在您的管辖范围内") % {"number": number[:40]}
            )
        cases.append(case)
    return cases


def cases_by_ids(actor: Any, ids: Iterable[Any]) -> list[Case]:
    wanted: list[int] = []
    for value in ids:
        try:
            wanted.append(int(value))
        except (TypeError, ValueError) as exc:
            raise ValidationError(_("事件编号无效")) from exc
    found = {c.pk: c for c in Case.objects.visible_to(actor).filter(pk__in=wanted)}
    cases = []
    for pk in dict.fromkeys(wanted):
        if pk not in found:
            raise ValidationError(_("未找到事件,或该事件不在您的管辖范围内"))
        cases.append(found[pk])
    return cases


def _writable(meeting: JointMeeting) -> None:
    if meeting.status == MeetingStatus.CLOSED:
        raise ValidationError(_("会议已结束,不能再修改"))


@transaction.atomic
def meeting_create(
    *,
    actor: Any,
    title: str,
    starts_at: datetime,
    place: str,
    region_code: str = "",
    participants: str = "",
    department_ids: Iterable[Any] = (),
    cases: Iterable[Case] = (),
) -> JointMeeting:
    """A draft meeting with its invited departments and agenda (all or nothing)."""
    if not may_convene(actor):
        raise PermissionDenied(_("只有街道(区)网格管理中心可以召集联席会议"))
    code = _region(actor, region_code)
    if starts_at is None:
        raise ValidationError(_("请填写会议时间"))
    meeting = JointMeeting.objects.create(
        title=_text(title, TITLE_MAX, _("会议名称"), required=True),
        starts_at=starts_at,
        place=_text(place, PLACE_MAX, _("会议地点"), required=True),
        participants=_text(participants, PARTICIPANTS_MAX, _("其他参会人员")),
        region_code=code,
        convener=actor,
    )
    meeting_invite(meeting=meeting, actor=actor, department_ids=department_ids)
    agenda_add(meeting=meeting, actor=actor, cases=cases)
    return meeting


@transaction.atomic
def meeting_invite(*, meeting: JointMeeting, actor: Any, department_ids: Iterable[Any]) -> int:
    """Invite departments (each must serve the meeting's jurisdiction); already invited ones
    are left as they are. A convened meeting tells the newly invited at once."""
    _writable(meeting)
    chosen = _departments(meeting.region_code, department_ids)
    have = set(meeting.invitations.values_list("department_id", flat=True))
    new = [d for d in chosen if d.pk not in have]
    if len(have) + len(new) > MAX_DEPARTMENTS:
        raise ValidationError(_("一次会议最多邀请 %(n)s 个部门") % {"n": MAX_DEPARTMENTS})
    Invitation.objects.bulk_create([Invitation(meeting=meeting, department=d) for d in new])
    if new and meeting.status == MeetingStatus.CONVENED:
        _tell_invited(meeting, [d.pk for d in new])
    return len(new)


@transaction.atomic
def agenda_add(*, meeting: JointMeeting, actor: Any, cases: Iterable[Case]) -> list[AgendaItem]:
    """Put cases on the agenda: each visible to the convener, inside the meeting's
    jurisdiction, open, and not already on it."""
    _writable(meeting)
    cases = list(cases)
    visible = set(
        Case.objects.visible_to(actor)
        .filter(pk__in=[c.pk for c in cases])
        .values_list("pk", flat=True)
    )
    have = set(meeting.items.values_list("case_id", flat=True))
    if len(have) + len(cases) > MAX_AGENDA:
        raise ValidationError(_("一次会议最多讨论 %(n)s 件事件") % {"n": MAX_AGENDA})
    added = []
    for case in cases:
        if case.pk not in visible:
            raise ValidationError(_("未找到事件,或该事件不在您的管辖范围内"))
        if not case.grid_code.startswith(meeting.region_code):
            raise ValidationError(
                _("事件 %(number)s 不在本会议所属辖区内") % {"number": case.number}
            )
        if not case.is_open:
            raise ValidationError(
                _("事件 %(number)s 已%(status)s,不能列入议程")
                % {"number": case.number, "status": case.get_status_display()}
            )
        if case.pk in have:
            raise ValidationError(
                _("事件 %(number)s 已在本次会议议程中,不能重复添加") % {"number": case.number}
            )
        have.add(case.pk)
        added.append(AgendaItem.objects.create(meeting=meeting, case=case))
    return added


def _department_users(department_ids: Iterable[int]) -> QuerySet[User]:
    return User.objects.filter(
        role=Role.DEPARTMENT, department_id__in=list(department_ids), is_active=True
    )


def _meeting_url(meeting: JointMeeting) -> str:
    return reverse("jointmeetings:detail", args=[meeting.pk])


def _tell_invited(meeting: JointMeeting, department_ids: list[int]) -> None:
    when = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")
    notify(
        recipients=_department_users(department_ids),
        kind="joint_meeting",
        title=_("联席会议通知:%(title)s") % {"title": meeting.title},
        body=_("时间:%(when)s;地点:%(place)s") % {"when": when, "place": meeting.place},
        url=_meeting_url(meeting),
        target=meeting,
        dedupe_key=f"joint-invite:{meeting.pk}",
    )


@transaction.atomic
def meeting_convene(*, meeting: JointMeeting, actor: Any) -> JointMeeting:
    """Draft → convened: the invited departments are told and may read the meeting."""
    meeting = JointMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.DRAFT:
        raise ValidationError(_("只有草稿状态的会议可以召集"))
    if not meeting.invitations.exists():
        raise ValidationError(_("请先邀请至少一个参会部门"))
    if not meeting.items.exists():
        raise ValidationError(_("请先在议程中列入至少一件事件"))
    meeting.status = MeetingStatus.CONVENED
    meeting.convened_at = timezone.now()
    meeting.save(update_fields=["status", "convened_at"])
    _tell_invited(meeting, list(meeting.invitations.values_list("department_id", flat=True)))
    return meeting


def _due_days(value: Any) -> int:
    try:
        days = int(str(value).strip())
    except (TypeError, ValueError) as exc:
        raise ValidationError(_("处置时限须为整数个工作日")) from exc
    if not 1 <= days <= MAX_DUE_DAYS:
        raise ValidationError(_("处置时限应在 1 到 %(max)s 个工作日之间") % {"max": MAX_DUE_DAYS})
    return days


@transaction.atomic
def decision_record(
    *,
    item: AgendaItem,
    actor: Any,
    lead_department_id: Any,
    assist_department_ids: Iterable[Any] = (),
    due_days: Any,
    note: str = "",
) -> AgendaItem:
    """Record (or correct, until applied) the meeting's decision about one case."""
    item = (
        AgendaItem.objects.select_for_update(of=("self",))
        .select_related("meeting", "case")
        .get(pk=item.pk)
    )
    meeting = item.meeting
    if meeting.status == MeetingStatus.CLOSED:
        raise ValidationError(_("会议已结束,不能再记录或修改决定"))
    if meeting.status != MeetingStatus.CONVENED:
        raise ValidationError(_("会议召集后才能记录决定"))
    if item.applied_at is not None:
        raise ValidationError(_("该决定已执行,不能修改"))
    invited = set(meeting.invitations.values_list("department_id", flat=True))
    leads = _departments(meeting.region_code, [lead_department_id] if lead_department_id else [])
    if not leads:
        raise ValidationError(_("请选择主办部门"))
    lead = leads[0]
    assists = [d for d in _departments(meeting.region_code, assist_department_ids) if d != lead]
    for dept in [lead, *assists]:
        if dept.pk not in invited:
            raise ValidationError(
                _("“%(dept)s”未受邀参加本次会议,不能承担该事件") % {"dept": dept.name}
            )
    if not dispatch_departments(item.case).filter(pk=lead.pk).exists():
        raise ValidationError(
            _("“%(dept)s”不负责事件 %(number)s 所在区域,不能主办")
            % {"dept": lead.name, "number": item.case.number}
        )
    item.lead_department = lead
    item.due_days = _due_days(due_days)
    item.decision_note = _text(note, NOTE_MAX, _("决定说明"))
    item.decided_at = timezone.now()
    item.decided_by = actor
    item.save()
    item.assist_departments.set(assists)
    return item


def _decision_note(item: AgendaItem) -> str:
    assists = "、".join(d.name for d in item.assist_departments.all()) or _("无")
    lead = item.lead_department.name if item.lead_department else ""
    text = _("联席会议“%(title)s”决定:主办 %(lead)s,协办 %(assists)s,%(days)s 个工作日内办结。") % {
        "title": item.meeting.title,
        "lead": lead,
        "assists": assists,
        "days": item.due_days,
    }
    return f"{text}{item.decision_note}"


def _refusal(case: Case, lead: Department) -> str:
    status = case.get_status_display()
    if case.status in WITH_DEPARTMENT:
        current = case.department.name if case.department else ""
        return _(
            "事件 %(number)s 正由“%(dept)s”办理(%(status)s),须先由该部门回退、事件回到“待派遣”后,"
            "才能按会议决定派往“%(lead)s”"
        ) % {"number": case.number, "dept": current, "status": status, "lead": lead.name}
    if case.status in (S.DEFERRED, S.ON_HOLD):
        return _("事件 %(number)s 当前为“%(status)s”,须先恢复办理、回到“待派遣”后再执行决定") % {
            "number": case.number,
            "status": status,
        }
    if case.status in (S.REPORTED, S.COMMUNITY):
        return _("事件 %(number)s 当前为“%(status)s”,须先上报街道、回到“待派遣”后再执行决定") % {
            "number": case.number,
            "status": status,
        }
    return _("事件 %(number)s 当前为“%(status)s”,不需要再派遣") % {
        "number": case.number,
        "status": status,
    }


def decision_apply(*, item: AgendaItem, actor: Any) -> tuple[AgendaItem, bool]:
    """Apply the recorded decision to its case; returns (item, whether anything changed).

    A case waiting for dispatch is dispatched to the lead department with the new deadline;
    one the street has not taken up yet (立案待分流, 议事会) is first routed up; one the lead
    department already works gets the new deadline as a supervision (督办). Each move writes
    its one CaseEvent through ``case_transition``; any other state is refused, saying what
    state the case must reach. An applied decision is applied once."""
    try:
        with transaction.atomic():
            return _apply(item, actor)
    except TransitionError as exc:
        raise ValidationError(str(exc)) from exc


def _apply(item: AgendaItem, actor: Any) -> tuple[AgendaItem, bool]:
    item = (
        AgendaItem.objects.select_for_update(of=("self",))
        .select_related("meeting", "case", "lead_department")
        .get(pk=item.pk)
    )
    if item.applied_at is not None:
        return item, False
    if item.decided_at is None or item.lead_department is None or item.due_days is None:
        raise ValidationError(_("请先记录会议对该事件的决定"))
    case = Case.objects.select_related("department", "category").get(pk=item.case_id)
    lead = item.lead_department
    note = _decision_note(item)
    if case.status in ROUTABLE:
        case = case_transition(
            case=case, action=Action.ROUTE, actor=actor, level=HandlingLevel.DEPARTMENT,
            note=note,
        )  # fmt: skip
    if case.status == S.TO_DISPATCH:
        case = case_transition(
            case=case,
            action=Action.DISPATCH,
            actor=actor,
            department=lead,
            due_days=item.due_days,
            note=note,
        )
    elif case.status in WITH_DEPARTMENT and case.department_id == lead.pk:
        case = case_transition(
            case=case,
            action=Action.SUPERVISE,
            actor=actor,
            note=note,
            amount=item.due_days,
            unit="days",
        )
    else:
        raise ValidationError(_refusal(case, lead))
    item.applied_at = timezone.now()
    item.applied_event = CaseEvent.objects.filter(case=case).order_by("-at", "-pk").first()
    item.save(update_fields=["applied_at", "applied_event"])
    return item, True


@transaction.atomic
def minutes_save(*, meeting: JointMeeting, actor: Any, minutes: str) -> JointMeeting:
    _writable(meeting)
    meeting.minutes = _text(minutes, MINUTES_MAX, _("会议纪要"))
    meeting.save(update_fields=["minutes"])
    return meeting


@transaction.atomic
def meeting_close(
    *,
    meeting: JointMeeting,
    actor: Any,
    minutes: str | None = None,
    reason: str | None = None,
    request: Any = None,
) -> JointMeeting:
    """Convened → closed: the minutes and decisions are published to the invited departments
    (a message to each of their users, and the meeting page they may read).

    Before ``starts_at`` a meeting closes only with a stated reason, kept on the meeting and
    audited (``joint_meeting_close_early``), as a residents' council meeting does: the
    departments were told that time, so ending before it is a decision to account for."""
    meeting = JointMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == MeetingStatus.CLOSED:
        raise ValidationError(_("会议已结束"))
    if meeting.status != MeetingStatus.CONVENED:
        raise ValidationError(_("会议尚未召集,不能结束"))
    now = timezone.now()
    early = now < meeting.starts_at
    why = _text(reason or "", EARLY_CLOSE_REASON_MAX, _("提前闭会理由")) if early else ""
    if early and not why:
        raise ValidationError(
            {
                "reason": _(
                    "会议预定于 %(time)s 召开,尚未到时间。如确需提前闭会,请填写提前闭会的理由"
                )
                % {"time": timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")}
            }
        )
    if minutes is not None:
        meeting.minutes = _text(minutes, MINUTES_MAX, _("会议纪要"))
    if not meeting.minutes.strip():
        raise ValidationError(_("请先填写会议纪要"))
    meeting.status = MeetingStatus.CLOSED
    meeting.closed_at = now
    meeting.early_close_reason = why
    meeting.save(update_fields=["status", "closed_at", "minutes", "early_close_reason"])
    if early:
        audit_record(
            actor=actor,
            action="joint_meeting_close_early",
            target=meeting,
            reason=why,
            request=request,
        )
    decided = [
        f"{i.case.number}:{i.lead_department.name if i.lead_department else ''}"
        for i in meeting.items.select_related("case", "lead_department").filter(
            decided_at__isnull=False
        )
    ]
    notify(
        recipients=_department_users(meeting.invitations.values_list("department_id", flat=True)),
        kind="joint_meeting",
        title=_("联席会议纪要已发布:%(title)s") % {"title": meeting.title},
        body=(_("主办部门:%(list)s") % {"list": ";".join(decided)}) if decided else "",
        url=_meeting_url(meeting),
        target=meeting,
        dedupe_key=f"joint-minutes:{meeting.pk}",
    )
    return meeting
