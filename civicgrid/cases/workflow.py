"""The one door for case state (ARCHITECTURE rule 2).

``TRANSITIONS`` is the whole workflow: from which statuses an action may be taken, where it
leads and which roles may take it. ``case_transition`` is the only code that changes
``Case.status``; it checks the table, the actor's jurisdiction and the action's input, does a
compare-and-set update, writes exactly one ``CaseEvent``, recomputes the stage deadline and
queues notifications for after the commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import Department, User
from civicgrid.cases.choices import (
    STAGE_OF_STATUS,
    Action,
    CaseStatus,
    HandlingLevel,
    Satisfaction,
)
from civicgrid.cases.models import Case, CaseEvent
from civicgrid.cases.photos import case_photo_add, photo_validate
from civicgrid.core.worktime import WorkUnit, add_working_time
from civicgrid.geo.codes import ancestor_codes

S = CaseStatus
A = Action
R = Role

# Where a move goes when the table cannot say it alone.
BY_LEVEL = "by_level"  # route: the handling level chosen (default: the responsibility rule's)
BACK_TO_HANDLER = "back_to_handler"  # rework: whoever handled it before
RESUMED = "resumed"  # resume: the status the case was deferred or held in


@dataclass(frozen=True)
class Move:
    action: Action
    sources: frozenset[CaseStatus]
    target: str
    roles: frozenset[str]
    # Separation of duties: whoever took one of these actions on the case may not take this one
    # (the hands that did the work do not check it).
    not_after: frozenset[Action] = frozenset()


def move(
    action: Action,
    sources: Iterable[CaseStatus],
    target: str,
    roles: Iterable[str],
    *,
    not_after: Iterable[Action] = (),
) -> Move:
    return Move(action, frozenset(sources), target, frozenset(roles), frozenset(not_after))


COMMUNITY_DESK = (R.SECRETARY, R.CADRE)
# Work the community keeps, and work it has routed up to the street (and its departments).
AT_COMMUNITY = (S.COMMUNITY, S.COUNCIL)
ROUTED_UP = (S.TO_DISPATCH, S.DISPATCHED, S.HANDLING)
WORKING = (*AT_COMMUNITY, *ROUTED_UP)
# Who did the work: they may not verify it (核查) themselves.
HANDLED = (A.SIGN_FOR, A.FEEDBACK)
OPEN_WORK = (S.REPORTED, S.ACCEPTED, *WORKING, S.EXTENSION_PENDING, S.TO_VERIFY)

TRANSITIONS: tuple[Move, ...] = (
    # intake (案卷建立): the community desk or the command centre takes it or voids it
    move(A.ACCEPT, [S.REPORTED], S.ACCEPTED, [*COMMUNITY_DESK, R.COMMAND]),
    move(A.VOID, [S.REPORTED], S.VOIDED, [*COMMUNITY_DESK, R.COMMAND]),
    # a 议事会 may find an agenda case is nobody's to handle and void it, with its reason
    move(A.VOID, [S.COUNCIL], S.VOIDED, COMMUNITY_DESK),
    move(A.MERGE, [S.REPORTED, S.ACCEPTED, S.TO_DISPATCH], S.MERGED, [*COMMUNITY_DESK, R.COMMAND]),
    # three-way routing: community handles / council agenda / up to the street
    move(A.ROUTE, [S.ACCEPTED, S.COUNCIL], BY_LEVEL, [*COMMUNITY_DESK, R.COMMAND]),
    move(A.ROUTE, [S.TO_DISPATCH], BY_LEVEL, [R.COMMAND]),
    # dispatch (任务派遣) and the department's part
    move(A.DISPATCH, [S.TO_DISPATCH], S.DISPATCHED, [R.COMMAND]),
    move(A.SIGN_FOR, [S.DISPATCHED], S.HANDLING, [R.DEPARTMENT]),
    move(A.RETURN, [S.DISPATCHED, S.HANDLING], S.TO_DISPATCH, [R.DEPARTMENT]),
    move(A.FEEDBACK, [S.HANDLING, S.EXTENSION_PENDING], S.TO_VERIFY, [R.DEPARTMENT]),
    move(A.FEEDBACK, [S.COMMUNITY, S.COUNCIL], S.TO_VERIFY, COMMUNITY_DESK),
    move(A.REQUEST_EXTENSION, [S.HANDLING], S.EXTENSION_PENDING, [R.DEPARTMENT]),
    move(A.APPROVE_EXTENSION, [S.EXTENSION_PENDING], S.HANDLING, [R.COMMAND]),
    move(A.REJECT_EXTENSION, [S.EXTENSION_PENDING], S.HANDLING, [R.COMMAND]),
    # exception states: 缓办 and 挂账 stop the clock until resumed. The community decides for
    # work it keeps; once routed up to the street only the command centre does (and only it
    # resumes such a case, see _precondition_error).
    move(A.DEFER, AT_COMMUNITY, S.DEFERRED, [R.COMMAND, R.SECRETARY]),
    move(A.DEFER, ROUTED_UP, S.DEFERRED, [R.COMMAND]),
    move(A.HOLD, AT_COMMUNITY, S.ON_HOLD, [R.COMMAND, R.SECRETARY]),
    move(A.HOLD, ROUTED_UP, S.ON_HOLD, [R.COMMAND]),
    move(A.RESUME, [S.DEFERRED, S.ON_HOLD], RESUMED, [R.COMMAND, R.SECRETARY]),
    # verification (核实结案) by the grid worker; a failure is rework, counted. Nobody checks
    # work they signed for or fed back themselves.
    move(A.VERIFY, [S.TO_VERIFY], S.CLOSED, [R.GRID_WORKER, R.CADRE], not_after=HANDLED),
    move(A.REWORK, [S.TO_VERIFY], BACK_TO_HANDLER, [R.GRID_WORKER, R.CADRE], not_after=HANDLED),
    # evaluation (综合评价): the resident, or the command centre recording a call-back
    move(A.EVALUATE, [S.CLOSED], S.CLOSED, [R.RESIDENT, R.COMMAND]),
    move(A.REOPEN, [S.CLOSED], S.ACCEPTED, [R.RESIDENT, R.SECRETARY, R.COMMAND]),
    # oversight: flags and hand-overs that keep the status. Supervision (督办) is the
    # secretary's and the command centre's; the cadre handles, and does not oversee, the work.
    move(A.SUPERVISE, OPEN_WORK, "", [R.SECRETARY, R.COMMAND]),
    move(A.REASSIGN, [S.REPORTED, S.ACCEPTED, S.COMMUNITY, S.COUNCIL, S.TO_VERIFY], "", [R.SECRETARY, R.COMMAND]),
    move(A.REASSIGN, [S.DISPATCHED, S.HANDLING], "", [R.DEPARTMENT, R.COMMAND]),
)  # fmt: skip

# While a case is in these, the department it was dispatched to works on it.
WITH_DEPARTMENT = frozenset({S.DISPATCHED, S.HANDLING, S.EXTENSION_PENDING})

# Route targets by handling level; a department-level case waits for the street to dispatch.
ROUTE_TARGETS: dict[str, CaseStatus] = {
    HandlingLevel.COMMUNITY: S.COMMUNITY,
    HandlingLevel.COUNCIL: S.COUNCIL,
    HandlingLevel.STREET: S.TO_DISPATCH,
    HandlingLevel.DEPARTMENT: S.TO_DISPATCH,
}

# Actions that must say why.
NEEDS_NOTE = frozenset(
    {A.VOID, A.RETURN, A.FEEDBACK, A.REQUEST_EXTENSION, A.REJECT_EXTENSION, A.DEFER, A.HOLD,
     A.REWORK, A.REOPEN, A.SUPERVISE}
)  # fmt: skip

# Roles that take part in the workflow at all; the others (auditors, administrators) read.
ACTING_ROLES = frozenset(role for m in TRANSITIONS for role in m.roles)

# The system itself (escalate_overdue) may only flag; ``actor=None`` means the system.
SYSTEM_ACTIONS = frozenset({A.SUPERVISE})

TABLE: dict[tuple[str, str], Move] = {
    (source, m.action): m for m in TRANSITIONS for source in m.sources
}


MAX_AMOUNT = Decimal("9999")


class TransitionError(Exception):
    """A move the table, the actor's role or jurisdiction, or a concurrent change forbids.
    The message is Chinese and meant for the person who tried."""


def may_act_on(case: Case, user: Any) -> bool:
    """Jurisdiction for acting (seeing is ``visible_to``): staff inside their code prefixes,
    a department handler only while the case is with their department, a resident on their
    own case."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.sees_everything:
        return True
    if user.role not in ACTING_ROLES:
        return False
    if user.role == R.DEPARTMENT:
        return (
            user.department_id is not None
            and case.department_id == user.department_id
            and case.status in WITH_DEPARTMENT
        )
    if user.role == R.RESIDENT:
        return case.reporter_id == user.pk
    return user.in_scope(case.grid_code, reads="cases")


def _precondition_error(case: Case, action: str, user: Any) -> str | None:
    m = TABLE.get((case.status, action))
    if m is not None and m.not_after and _took_part(case, user, m.not_after):
        return _("办理过该事件的人员不能核查该事件,请由其他人员核查")
    if (
        action == A.RESUME
        and case.held_from in ROUTED_UP
        and not (user.sees_everything or user.role == R.COMMAND)
    ):
        return _("该事件已上报街道,须由街道网格管理中心恢复办理")
    if action == A.EVALUATE and case.satisfaction:
        return _("该事件已评价")
    if (
        action == A.REOPEN
        and user.role == R.RESIDENT
        and case.satisfaction != Satisfaction.UNSATISFIED
    ):
        return _("只有评价为不满意的事件才能申请重新办理")
    if action == A.RESUME and not case.held_from:
        return _("无法确定恢复后的状态")
    return None


def _took_part(case: Case, user: Any, actions: frozenset[Action]) -> bool:
    return CaseEvent.objects.filter(case=case, actor_id=user.pk, action__in=actions).exists()


def dispatch_departments(case: Case) -> QuerySet[Department]:
    """The departments ``case`` may be dispatched to, decided once for the dispatch form and
    for ``case_transition``: current (not retired) departments of the place of the case, that
    is whose region code (city, district or street) the case's code starts with. A department
    of another district is never offered and never accepted. The responsibility list's
    department for the case (``default_department``) comes first."""
    return Department.objects.filter(
        retired_on__isnull=True, region_code__in=ancestor_codes(case.grid_code or "")
    )


def default_department(case: Case) -> Department | None:
    """The department the responsibility list names for the case, if it may receive it."""
    named = case.rule.department_id if case.rule else None
    if named is None:
        return None
    return dispatch_departments(case).filter(pk=named).first()


def allowed_actions(case: Case, user: Any) -> list[Action]:
    """The actions ``user`` may take on ``case`` now, in table order (the UI's buttons)."""
    if not may_act_on(case, user):
        return []
    role = R.SYSADMIN if user.sees_everything else user.role
    found: list[Action] = []
    for m in TRANSITIONS:
        if case.status in m.sources and (role in m.roles or user.sees_everything):
            if m.action not in found and _precondition_error(case, m.action, user) is None:
                found.append(m.action)
    return found


def _label(action: str) -> str:
    return str(Action(action).label) if action in Action.values else action


def _decimal(value: Any, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise TransitionError(_("%(field)s 必须是数字") % {"field": field}) from exc
    if not amount.is_finite() or amount <= 0:
        raise TransitionError(_("%(field)s 必须大于 0") % {"field": field})
    # The column holds six digits, two after the point; a longer time is no deadline anyway.
    if amount > MAX_AMOUNT:
        raise TransitionError(_("%(field)s 不能超过 %(max)s") % {"field": field, "max": MAX_AMOUNT})
    return amount.quantize(Decimal("0.01"))


def _extension(value: Any, unit: str) -> Decimal:
    field = _("延期时长")
    amount = _whole_days(_decimal(value, field), unit, field)
    if amount > MAX_EXTENSION[WorkUnit(unit)]:
        raise TransitionError(
            _("延期最多 %(n)s %(unit)s")
            % {"n": MAX_EXTENSION[WorkUnit(unit)], "unit": WorkUnit(unit).label}
        )
    return amount


def _whole_days(amount: Decimal, unit: str, field: str) -> Decimal:
    # Working days are counted whole (core.worktime); say so instead of failing inside it.
    if unit == WorkUnit.DAYS and amount != amount.to_integral_value():
        raise TransitionError(_("%(field)s 按工作日计时须为整数") % {"field": field})
    return amount


MAX_DUE_DAYS = 60
# An extension is a few more days, not a new life for the case: at most as long as the longest
# handling limit a street may set (9,999 working days was accepted before).
MAX_EXTENSION = {WorkUnit.DAYS: Decimal(MAX_DUE_DAYS), WorkUnit.HOURS: Decimal(MAX_DUE_DAYS * 8)}
# The timeline prints notes whole; a page of text belongs in an attachment.
MAX_NOTE = 2000


def _due_days(value: Any) -> int:
    """A dispatch deadline in whole working days, 1..MAX_DUE_DAYS."""
    try:
        days = int(str(value).strip())
    except (TypeError, ValueError) as exc:
        raise TransitionError(_("处置时限须为整数个工作日")) from exc
    if not 1 <= days <= MAX_DUE_DAYS:
        raise TransitionError(_("处置时限应在 1 到 %(max)s 个工作日之间") % {"max": MAX_DUE_DAYS})
    return days


def _unit(value: Any) -> str:
    unit = value or WorkUnit.DAYS
    if unit not in WorkUnit.values:
        raise TransitionError(_("时限单位只能是 工作小时(hours) 或 工作日(days)"))
    return str(unit)


def _department(case: Case, value: Any) -> Department:
    """The department chosen for a dispatch, checked against ``dispatch_departments``."""
    pk = value.pk if isinstance(value, Department) else value
    if not pk:
        default = default_department(case)
        if default is None:
            raise TransitionError(_("请选择承办部门"))
        return default
    try:
        dept = Department.objects.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        dept = None
    if dept is None:
        raise TransitionError(_("请选择承办部门"))
    if dept.retired_on is not None:
        raise TransitionError(_("该部门已撤销,不能派遣"))
    if not dispatch_departments(case).filter(pk=dept.pk).exists():
        raise TransitionError(
            _("“%(dept)s”不负责事件所在区域,不能派遣,请选择本区域的职能部门") % {"dept": dept.name}
        )
    return dept


def _user(value: Any) -> User:
    if isinstance(value, User):
        user = value
    else:
        user_or_none = User.objects.filter(pk=value).first() if value else None
        if user_or_none is None:
            raise TransitionError(_("请选择接手人员"))
        user = user_or_none
    if not user.is_active:
        raise TransitionError(_("该人员账号已停用"))
    return user


@dataclass
class _Plan:
    """What a transition will write, worked out before the compare-and-set."""

    target: str
    updates: dict[str, Any]
    data: dict[str, Any]
    to_department: Department | None = None
    new_due: datetime | None = None
    due_set: bool = False


def _plan(case: Case, m: Move, actor: Any, at: datetime, note: str, data: dict[str, Any]) -> _Plan:
    """Resolve the target and the field updates an action implies; raise on bad input."""
    action = m.action
    target = m.target or case.status
    updates: dict[str, Any] = {}
    record: dict[str, Any] = {}
    plan = _Plan(target=target, updates=updates, data=record)

    if action == A.ROUTE:
        level = data.get("level") or case.level or HandlingLevel.STREET
        if level not in ROUTE_TARGETS:
            raise TransitionError(_("分流层级只能是 社区处置、议事会协商、上报街道 或 派遣部门"))
        plan.target = ROUTE_TARGETS[level]
        if plan.target == case.status:
            raise TransitionError(_("事件已处于该层级,无需重复分流"))
        updates["level"] = level
        record["level"] = level
        if plan.target in (S.COMMUNITY, S.COUNCIL):
            updates["handled_in"] = plan.target
    elif action == A.DISPATCH:
        # Without a choice, the department the responsibility list names.
        dept = _department(case, data.get("department"))
        updates.update(department=dept, level=HandlingLevel.DEPARTMENT, handled_in=S.HANDLING)
        updates["assignee"] = None
        plan.to_department = dept
        record["department"] = dept.pk
        # A deadline the dispatcher sets (a joint meeting's decision) replaces the
        # responsibility list's handling limit for this stretch.
        if data.get("due_days") not in (None, ""):
            days = _due_days(data["due_days"])
            plan.new_due, plan.due_set = add_working_time(at, days, WorkUnit.DAYS), True
            record.update(amount=str(days), unit=WorkUnit.DAYS)
    elif action == A.RETURN:
        # The department gives it back; handlers who had it still see it through the events.
        updates["assignee"] = None
    elif action == A.SIGN_FOR:
        updates["assignee"] = actor
    elif action == A.FEEDBACK:
        updates["assignee"] = None
    elif action == A.REQUEST_EXTENSION:
        unit = _unit(data.get("unit"))
        amount = _extension(data.get("amount"), unit)
        updates.update(extension_amount=amount, extension_unit=unit)
        record.update(amount=str(amount), unit=unit)
    elif action == A.APPROVE_EXTENSION:
        unit = _unit(data.get("unit") or case.extension_unit)
        amount = _extension(data.get("amount") or case.extension_amount, unit)
        base = case.stage_due_at or at
        plan.new_due, plan.due_set = add_working_time(base, float(amount), unit), True
        updates.update(extension_amount=None, extension_unit="")
        record.update(amount=str(amount), unit=unit)
    elif action == A.REJECT_EXTENSION:
        updates.update(extension_amount=None, extension_unit="")
    elif action in (A.DEFER, A.HOLD):
        updates["held_from"] = case.status
    elif action == A.RESUME:
        plan.target = case.held_from
        updates["held_from"] = ""
    elif action == A.VERIFY:
        updates["closed_at"] = at
    elif action == A.REWORK:
        plan.target = case.handled_in or S.HANDLING
        updates["rework_count"] = F("rework_count") + 1
        record["rework"] = case.rework_count + 1
    elif action == A.EVALUATE:
        satisfaction = data.get("satisfaction")
        if satisfaction not in Satisfaction.values:
            raise TransitionError(_("请选择评价:满意、基本满意或不满意"))
        updates["satisfaction"] = satisfaction
        record["satisfaction"] = satisfaction
    elif action == A.REOPEN:
        updates.update(
            reopen_count=F("reopen_count") + 1, closed_at=None, satisfaction="", department=None
        )
    elif action == A.SUPERVISE:
        updates.update(supervised=True, supervise_reason=note[:200])
        if data.get("escalation"):
            # Remember which deadline was escalated so a rerun does not escalate it again.
            updates["escalated_for"] = case.stage_due_at
            record["escalation"] = True
        if data.get("amount"):
            unit = _unit(data.get("unit"))
            amount = _whole_days(_decimal(data["amount"], _("督办时限")), unit, _("督办时限"))
            plan.new_due, plan.due_set = add_working_time(at, float(amount), unit), True
            record.update(amount=str(amount), unit=unit)
    elif action == A.REASSIGN:
        assignee = _user(data.get("assignee"))
        if not may_act_on(case, assignee):
            raise TransitionError(_("接手人员不负责该事件所在区域或部门"))
        updates["assignee"] = assignee
        record["assignee"] = assignee.pk
    elif action == A.MERGE:
        into = data.get("into")
        if not isinstance(into, Case) or into.pk == case.pk:
            raise TransitionError(_("请选择要合并到的主事件"))
        # Writes check every object they touch (rule 8): a case the actor cannot see is
        # answered like a missing one.
        if not Case.objects.visible_to(actor).filter(pk=into.pk).exists():
            raise TransitionError(_("请选择要合并到的主事件"))
        if not into.is_open or into.merged_into_id:
            raise TransitionError(_("主事件已办结或已被合并,不能合并到该事件"))
        updates["merged_into"] = into
        record["into"] = into.pk
    elif action == A.ACCEPT:
        updates["accepted_at"] = at
        if case.first_owner_id is None:
            updates["first_owner"] = actor
    return plan


@transaction.atomic
def case_transition(
    *,
    case: Case,
    action: Action | str,
    actor: Any,
    note: str = "",
    at: datetime | None = None,
    **data: Any,
) -> Case:
    """Take ``action`` on ``case`` as ``actor``; return the case as it is afterwards.

    Raises ``TransitionError`` when the table, the actor's role or jurisdiction, the input or
    a concurrent change forbids it; nothing is written then."""
    at = at or timezone.now()
    note = (note or "").strip()
    if action not in Action.values or action == A.REPORT:
        raise TransitionError(_("未知的操作:%(action)s") % {"action": action})
    m = TABLE.get((case.status, action))
    if m is None:
        raise TransitionError(
            _("事件当前为“%(status)s”,不能执行“%(action)s”")
            % {"status": case.get_status_display(), "action": _label(action)}
        )
    if actor is None:
        if action not in SYSTEM_ACTIONS:
            raise TransitionError(_("系统不能自动执行“%(action)s”") % {"action": _label(action)})
    elif not may_act_on(case, actor):
        raise TransitionError(_("您不负责该事件,不能执行“%(action)s”") % {"action": _label(action)})
    elif not (actor.sees_everything or actor.role in m.roles):
        raise TransitionError(_("您的角色不能执行“%(action)s”") % {"action": _label(action)})
    problem = _precondition_error(case, action, actor) if actor is not None else None
    if problem:
        raise TransitionError(problem)
    if action in NEEDS_NOTE and not note:
        raise TransitionError(_("请填写“%(action)s”的说明或理由") % {"action": _label(action)})
    if len(note) > MAX_NOTE:
        raise TransitionError(_("说明最多 %(n)s 字") % {"n": MAX_NOTE})
    photos = list(data.pop("photos", None) or ())
    if photos:
        for upload in photos:
            photo_validate(upload)

    plan = _plan(case, m, actor, at, note, data)
    old_stage = case.stage
    new_stage = STAGE_OF_STATUS[plan.target]
    stage_ended = new_stage != old_stage
    if plan.due_set:
        due = plan.new_due
    elif stage_ended:
        from civicgrid.cases.deadlines import stage_due

        due = stage_due(case.rule, new_stage, at)
    else:
        due = case.stage_due_at
    updates = dict(plan.updates)
    updates.update(status=plan.target, version=F("version") + 1, updated_at=at)
    if stage_ended:
        updates.update(stage=new_stage, stage_started_at=at)
    updates["stage_due_at"] = due

    won = Case.objects.filter(pk=case.pk, status=case.status, version=case.version).update(
        **updates
    )
    if won != 1:
        raise TransitionError(_("该事件刚刚被他人处理,请刷新后重试"))

    deadline = case.stage_due_at
    event = CaseEvent.objects.create(
        case=case,
        at=at,
        action=action,
        from_status=case.status,
        to_status=plan.target,
        actor=actor,
        actor_role=actor.role if actor is not None else "",
        actor_department_id=actor.department_id if actor is not None else None,
        to_department=plan.to_department,
        stage=old_stage if stage_ended else "",
        deadline=deadline,
        on_time=(at <= deadline) if (stage_ended and deadline) else None,
        next_deadline=due,
        note=note,
        data=plan.data,
    )
    if photos:
        for upload in photos:
            case_photo_add(case=case, image=upload, uploaded_by=actor, event=event, at=at)

    case.refresh_from_db()
    from civicgrid.cases.notify import queue_case_notifications

    queue_case_notifications(case=case, event=event)
    return case
