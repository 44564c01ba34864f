"""Writes for cases other than status changes (those go through ``workflow.case_transition``)."""

from __future__ import annotations

import copy
import threading
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
import shapely
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import User
from civicgrid.cases.choices import (
    ESCALATION_NOTE,
    WORKER_CHANNELS,
    Action,
    CaseStatus,
    Channel,
    Stage,
)
from civicgrid.cases.deadlines import choose_rule, stage_due
from civicgrid.cases.models import (
    Case,
    CaseEvent,
    CaseNumberSequence,
    CasePhoto,
    Category,
    ResponsibilityRule,
)
from civicgrid.cases.notify import send_case_notifications
from civicgrid.cases.photos import case_photo_add, photo_validate
from civicgrid.cases.workflow import case_transition
from civicgrid.core.pii import blind_index, normalise
from civicgrid.geo.index import grid_index
from civicgrid.geo.models import Grid

# Lengths of the intake columns, told in Chinese before the database would refuse them.
MAX_DESCRIPTION = 2000
MAX_ADDRESS = 200
MAX_NAME = 50

REPORTING_ROLES = frozenset(
    {Role.GRID_WORKER, Role.CADRE, Role.SECRETARY, Role.COMMAND, Role.SYSADMIN, Role.RESIDENT}
)


# --- prepared lookups ---------------------------------------------------------------------------
# Every intake needs the category by its code and the responsibility rules of that category;
# both change a few times a year (in the admin), so each process keeps them in memory instead
# of reading them on every report (docs/architecture.md "Cases: intake").
#
# Invalidation: a save or delete of a category or rule replaces a version stamp kept in the
# Django cache. Each process compares its copy's stamp with the cache on every use (a dict
# lookup with the default in-process cache; with a shared cache, which production should
# use, an admin change is seen by every worker at once). The copy is also reloaded after
# INTAKE_LOOKUP_SECONDS, which bounds how stale a worker can be when the cache is not shared
# or when rows were changed without signals (a queryset ``update``, a data migration).
LOOKUP_STAMP_KEY = "cases:intake-lookups"


def _lookup_seconds() -> int:
    return int(settings.INTAKE_LOOKUP_SECONDS)


@dataclass(frozen=True)
class IntakeLookups:
    stamp: str
    loaded_at: float
    # Every category by code (retired ones too: intake answers "已停用" for them), parents set.
    categories: dict[str, Category]
    # Active responsibility rules by category id, departments loaded.
    rules: dict[int, tuple[ResponsibilityRule, ...]]


_lookups_lock = threading.Lock()
_lookups: IntakeLookups | None = None


def clear_intake_lookups(**_kwargs: Any) -> None:
    """Signal receiver: this process reloads at once, the others when they next see the new
    stamp (or after INTAKE_LOOKUP_SECONDS). Also runs after the commit, so a worker that
    reloads while the admin's transaction is still open cannot keep the old rows."""
    global _lookups
    _lookups = None
    cache.delete(LOOKUP_STAMP_KEY)
    if _kwargs.get("sender") is not None:
        transaction.on_commit(clear_intake_lookups)


for _model in (Category, ResponsibilityRule):
    post_save.connect(clear_intake_lookups, sender=_model, dispatch_uid=f"intake-save-{_model}")
    post_delete.connect(clear_intake_lookups, sender=_model, dispatch_uid=f"intake-del-{_model}")


def _current_stamp() -> str:
    stamp = cache.get(LOOKUP_STAMP_KEY)
    if stamp is None:
        cache.add(LOOKUP_STAMP_KEY, uuid.uuid4().hex, None)
        stamp = cache.get(LOOKUP_STAMP_KEY) or ""
    return str(stamp)


def intake_lookups() -> IntakeLookups:
    global _lookups
    stamp = _current_stamp()
    held = _lookups
    if held is not None and held.stamp == stamp:
        if time.monotonic() - held.loaded_at < _lookup_seconds():
            return held
    with _lookups_lock:
        categories = {c.code: c for c in Category.objects.select_related("parent")}
        rules: dict[int, list[ResponsibilityRule]] = {}
        active = ResponsibilityRule.objects.filter(retired_on__isnull=True)
        for rule in active.select_related("department").order_by("pk"):
            rules.setdefault(rule.category_id, []).append(rule)
        held = IntakeLookups(
            stamp=stamp,
            loaded_at=time.monotonic(),
            categories=categories,
            rules={k: tuple(v) for k, v in rules.items()},
        )
        _lookups = held
    return held


def category_by_code(code: str) -> Category | None:
    """The category with ``code`` (retired included), its parent loaded, without a query."""
    return intake_lookups().categories.get(code)


def rule_in_force(
    category: Category, grid_code: str, *, urgent: bool = False
) -> ResponsibilityRule | None:
    """``deadlines.rule_for`` over the prepared rules: the same choice (most specific region
    prefix, then a 小类 rule over a 大类 rule, then the urgent variant), no query."""
    rules = intake_lookups().rules
    ids = [category.pk] + ([category.parent_id] if category.parent_id else [])
    return choose_rule([r for pk in ids for r in rules.get(pk, ())], category, grid_code, urgent)


def next_case_number(prefix: str, at: datetime) -> str:
    """``<community or region code>-<YYYYMMDD>-<serial>``, serial per prefix and local day.

    One ``UPDATE … RETURNING`` (SQLite ≥ 3.35 and PostgreSQL) increments and reads the
    counter under its row lock, so concurrent intakes queue instead of sharing a number."""
    day = timezone.localdate(at)
    table = connection.ops.quote_name(CaseNumberSequence._meta.db_table)
    sql = f"UPDATE {table} SET last = last + 1 WHERE prefix = %s AND day = %s RETURNING last"
    params = [prefix, connection.ops.adapt_datefield_value(day)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        if row is None:
            CaseNumberSequence.objects.get_or_create(prefix=prefix, day=day)
            cursor.execute(sql, params)
            row = cursor.fetchone()
    return f"{prefix}-{day:%Y%m%d}-{row[0]:04d}"


def _locate(lat: float | None, lng: float | None) -> tuple[int | None, str]:
    """(grid id, grid code) of the current grid containing the point, straight from the
    in-process index (no grid row is read: intake only needs the code)."""
    if lat is None or lng is None:
        return None, ""
    index = grid_index()
    grid_id = int(index.locate_many(np.array([lng]), np.array([lat]))[0])
    if grid_id < 0:
        return None, ""
    return grid_id, str(index.codes[int(np.flatnonzero(index.ids == grid_id)[0])])


def _intake_region(actor: Any, lat: float | None, lng: float | None) -> str:
    """Region code for a case in no grid. Without a point (a phone call with a typed
    address) the place is unknown but was reported to the staff member who takes it: their
    own area, so they and their community desk keep it. A point outside every grid goes to
    the street of whoever takes it, else of the nearest grid, so a command centre sees it."""
    codes = getattr(actor, "scope_codes", []) if actor.role != Role.RESIDENT else []
    if codes and lat is None:
        return min(codes, key=len)
    if codes:
        return min(codes, key=len)[:9]
    if lat is not None and lng is not None:
        index = grid_index()
        if len(index.ids):
            nearest = index.tree.nearest(shapely.points(np.array([lng]), np.array([lat])))
            return str(index.codes[int(np.atleast_1d(nearest)[0])])[:9]
    return ""


def _check_intake(
    *, channel: str, category: Category, description: str, lat: float | None, lng: float | None,
    reporter_phone: str, actor: Any, address: str, reporter_name: str = "", grid: Any = None,
) -> None:  # fmt: skip
    errors: dict[str, str] = {}
    if channel not in Channel.values:
        errors["channel"] = _("请选择来源渠道")
    if category.parent_id is None:
        errors["category"] = _("请选择小类,大类不能直接上报")
    elif category.retired_on is not None:
        errors["category"] = _("该分类已停用,请选择其他分类")
    if not description.strip():
        errors["description"] = _("请描述问题")
    elif len(description.strip()) > MAX_DESCRIPTION:
        errors["description"] = _("描述最多 %(n)s 字") % {"n": MAX_DESCRIPTION}
    if len(address.strip()) > MAX_ADDRESS:
        errors["address"] = _("地点最多 %(n)s 字") % {"n": MAX_ADDRESS}
    if len(reporter_name.strip()) > MAX_NAME:
        errors["reporter_name"] = _("反映人姓名最多 %(n)s 字") % {"n": MAX_NAME}
    if (lat is None) != (lng is None):
        errors["lat"] = _("经纬度需同时填写")
    elif lat is not None and lng is not None and not (-90 <= lat <= 90 and -180 <= lng <= 180):
        errors["lat"] = _("坐标超出范围:纬度 -90~90,经度 -180~180")
    elif lat is None and not address.strip() and grid is None:
        errors["address"] = _("请在地图上选点、选择网格或填写地点")
    elif grid is not None and getattr(grid, "retired_on", None) is not None:
        errors["grid"] = _("该网格已撤销,请选择现有网格")
    digits = normalise(reporter_phone)
    if digits and not (digits.lstrip("+").isdigit() and 5 <= len(digits) <= 20):
        errors["reporter_phone"] = _("联系电话格式不正确")
    if actor is None or actor.role not in REPORTING_ROLES:
        errors["__all__"] = _("您的角色不能上报事件")
    elif actor.role == Role.RESIDENT and channel != Channel.RESIDENT:
        errors["channel"] = _("居民只能通过“居民诉求”渠道反映问题")
    elif actor.role == Role.GRID_WORKER and channel not in WORKER_CHANNELS:
        # The channel counts in the source statistics: a worker's report is not a hotline call.
        errors["channel"] = _("网格员只能以“网格员上报”或“来访”渠道上报")
    if errors:
        raise ValidationError(errors)


@dataclass
class Intake:
    """What intake wrote, as the objects it holds: the API answers from these instead of
    reading the case back (docs/architecture.md "Cases: intake")."""

    case: Case
    event: CaseEvent
    photos: list[CasePhoto] = field(default_factory=list)


def case_report(**kwargs: Any) -> Case:
    """Take in a case from any channel (see ``case_take_in``); returns the case."""
    return case_take_in(**kwargs).case


def case_take_in(
    *,
    channel: str,
    category: Category,
    description: str,
    lat: float | None = None,
    lng: float | None = None,
    address: str = "",
    reporter: User | None = None,
    reporter_name: str = "",
    reporter_phone: str = "",
    photos: Sequence[Any] = (),
    actor: Any,
    at: datetime | None = None,
    urgent: bool = False,
    grid: Grid | None = None,
) -> Intake:
    """Take in a case from any channel: locate it, find its responsibility rule, number it,
    start the accept clock, write the first CaseEvent and tell the community desk.

    A staff ``actor`` becomes the first-contact owner (首问责任人); a resident's own request
    gets one when it is accepted. Raises ValidationError (Chinese, per field) on bad input.

    The writes are one transaction, the notifications included: their inbox and outbox rows
    are written with the case (a transactional outbox: both or neither), and the outbox
    delivers after the commit. What needs no lock (checks, locating, the rule from the
    prepared lookups, the deadline, encrypting the phone) is done before it begins, so the
    write lock (SQLite takes it at BEGIN) is held only for the writes."""
    at = at or timezone.now()
    _check_intake(
        channel=channel, category=category, description=description, lat=lat, lng=lng,
        reporter_phone=reporter_phone, actor=actor, address=address, reporter_name=reporter_name,
        grid=grid,
    )  # fmt: skip
    for upload in photos:
        photo_validate(upload)
    if actor.role == Role.RESIDENT:
        reporter = actor
    grid_id, grid_code = _locate(lat, lng)
    if grid_id is None and lat is None and grid is not None:
        # No position, but the reporter named their grid (a resident without GPS chooses it):
        # the case is filed there and keeps no invented point.
        grid_id, grid_code = grid.pk, grid.code
    # Only a point can lie outside every grid; a case without one is filed where it was taken.
    outside_grid = grid_id is None and lat is not None
    if grid_id is None:
        grid_code = _intake_region(actor, lat, lng)
    rule = rule_in_force(category, grid_code, urgent=urgent)
    prefix = grid_code[:12] or "000000"
    phone = normalise(reporter_phone)
    due = stage_due(rule, Stage.ACCEPT, at)
    # In UTC, as the database gives it back: the held case is the API's answer.
    due = due.astimezone(UTC) if due is not None else None
    with transaction.atomic():
        return _write_intake(
            at=at, prefix=prefix, photos=photos, actor=actor,
            case=Case(
                channel=channel,
                category=category,
                description=description.strip(),
                urgent=urgent,
                lat=lat,
                lng=lng,
                address=address.strip(),
                grid_id=grid_id,
                grid_code=grid_code,
                outside_grid=outside_grid,
                reporter=reporter,
                reporter_name=reporter_name.strip() or (reporter.full_name if reporter else ""),
                reporter_phone=phone,
                reporter_phone_index=blind_index(phone, purpose="phone") if phone else "",
                first_owner=actor if actor.role != Role.RESIDENT else None,
                status=CaseStatus.REPORTED,
                rule=rule,
                level=rule.level if rule else "",
                stage=Stage.ACCEPT,
                stage_started_at=at,
                stage_due_at=due,
                reported_at=at,
                updated_at=at,
            ),
        )  # fmt: skip


def _write_intake(
    *, case: Case, at: datetime, prefix: str, photos: Sequence[Any], actor: Any
) -> Intake:
    case.number = next_case_number(prefix, at)
    case.save(force_insert=True)
    event = CaseEvent.objects.create(
        case=case,
        at=at,
        action=Action.REPORT,
        from_status="",
        to_status=CaseStatus.REPORTED,
        actor=actor,
        actor_role=actor.role,
        actor_department_id=actor.department_id,
        next_deadline=case.stage_due_at,
        data={"channel": case.channel, "outside_grid": case.outside_grid, "urgent": case.urgent},
    )
    added = [
        case_photo_add(case=case, image=upload, uploaded_by=actor, event=event, at=at)
        for upload in photos
    ]
    # A snapshot, like queue_case_notifications takes: later steps in the same transaction
    # (the demo, tests) change the case object.
    send_case_notifications(copy.copy(case), event)
    return Intake(case=case, event=event, photos=added)


@transaction.atomic
def case_dispatch_to_member(
    *, case: Case, actor: Any, person: Any, note: str = "", **data: Any
) -> Case:
    """Dispatch and name the handler at once (a member of the grid's team from that
    department, chosen by the command centre on the page or through the API). The workflow's
    DISPATCH leaves the assignee empty, so a REASSIGN follows in the same transaction, both or
    neither; REASSIGN checks the person acts for the department."""
    case = case_transition(case=case, action=Action.DISPATCH, actor=actor, note=note, **data)
    return case_transition(
        case=case,
        action=Action.REASSIGN,
        actor=actor,
        note=_("派遣时指定网格团队成员承办"),
        assignee=person,
    )


@transaction.atomic
def case_merge(
    *, duplicate: Case, into: Case, actor: Any, note: str = "", at: datetime | None = None
) -> Case:
    """Close ``duplicate`` as merged into ``into``; its reporter then hears about every
    step of ``into`` (see ``notify.tell_reporters``)."""
    note = note or _("与事件 %(number)s 重复,合并办理") % {"number": into.number}
    return case_transition(
        case=duplicate, action=Action.MERGE, actor=actor, note=note, at=at, into=into
    )


def cases_bulk_relocate(old: Iterable[Any], new: Iterable[Any]) -> int:
    """Relocator for grid splits and merges: open cases in retired grids move to whichever
    new grid contains their point (ones without a point go to the first successor)."""
    from civicgrid.cases.choices import OPEN_STATUSES
    from civicgrid.geo.selectors import locate_batch

    old_ids = [g.pk for g in old]
    successors = {g.pk: g for g in new}
    if not old_ids or not successors:
        return 0
    cases = list(
        Case.objects.filter(grid_id__in=old_ids, status__in=OPEN_STATUSES).only(
            "pk", "lat", "lng", "grid_id", "grid_code"
        )
    )
    with_point = [(c, c.lat, c.lng) for c in cases if c.lat is not None and c.lng is not None]
    located = locate_batch([(lat, lng) for _c, lat, lng in with_point])
    fallback = next(iter(successors.values()))
    target = {
        c.pk: successors.get(gid) if gid else None
        for (c, _lat, _lng), gid in zip(with_point, located, strict=True)
    }
    moved: list[Case] = []
    for c in cases:
        grid = target.get(c.pk) or fallback
        c.grid_id, c.grid_code = grid.pk, grid.code
        moved.append(c)
    Case.objects.bulk_update(moved, ["grid", "grid_code"], batch_size=500)
    return len(moved)


def case_escalate_overdue(*, at: datetime | None = None) -> int:
    """Flag every case whose current stage is past due as supervised, write its event and
    tell the next level up. Returns how many cases this run escalated.

    Safe to run again and from several workers at once: a case is picked only while its
    current deadline has not been escalated (``escalated_for``), the flag is set through the
    compare-and-set in ``case_transition`` (a worker that loses the race skips the case), and
    the notification carries a key per case, stage and deadline."""
    from civicgrid.cases.notify import next_level, queue_escalation
    from civicgrid.cases.workflow import TransitionError

    at = at or timezone.now()
    overdue = (
        Case.objects.overdue(at)
        .exclude(escalated_for=F("stage_due_at"))
        .select_related("category")
        .order_by("stage_due_at", "pk")
    )
    escalated = 0
    # Read the batch first: SQLite gives no isolation between a running cursor and writes
    # on the same connection. Only overdue, not yet escalated cases: a small set.
    for case in list(overdue):
        due, stage = case.stage_due_at, case.stage
        if due is None:  # overdue() never returns these; keeps the type checker honest
            continue
        try:
            with transaction.atomic():
                case_transition(
                    case=case,
                    action=Action.SUPERVISE,
                    actor=None,
                    note=ESCALATION_NOTE,
                    at=at,
                    escalation=True,
                )
                queue_escalation(
                    case=case,
                    recipients=next_level(case),
                    dedupe_key=f"case-overdue:{case.pk}:{stage}:{due.isoformat()}",
                    title=_("%(number)s %(stage)s超期,已自动督办")
                    % {"number": case.number, "stage": Stage(stage).label},
                )
        except TransitionError:
            continue  # another worker escalated or moved it first
        escalated += 1
    return escalated
