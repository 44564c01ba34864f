"""Household visits (入户走访): recording one, and which visit rule a care or special tag, or a
household of a type (出租户, 流动户 …), falls under.

A visit is ledger work: the person or household visited must be visible to the recorder
(docs/architecture.md "One way in"); anything else is answered exactly like a missing record so
nobody learns who lives in another grid. The phone may resend a visit after a dropped
connection: the same ``client_key`` of the same worker gives back the visit already stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.accounts.choices import WRITE_ROLES
from civicgrid.fieldwork.choices import HouseholdType, VisitPurpose
from civicgrid.fieldwork.models import LastHouseholdVisit, LastPersonVisit, Visit, VisitRule
from civicgrid.fieldwork.photos import checked_visit_photos, store_visit_photos
from civicgrid.registry.choices import Occupancy
from civicgrid.registry.models import Household, Person, PersonTag

if TYPE_CHECKING:
    from civicgrid.accounts.models import User

# A visit typed on the phone may reach the server late (offline queue), but not a month late:
# older entries would rewrite the due list after the fact.
MAX_VISIT_AGE = timedelta(days=30)
# Phones' clocks run a little ahead; a visit "a minute in the future" is still now.
CLOCK_SLACK = timedelta(minutes=5)
FINDINGS_MAX = 1000
FOLLOW_UP_MAX = 200
CLIENT_KEY_MAX = 64
OUT_OF_SCOPE = "不存在或不在您的管辖范围内"

# The default rules (tag kind code, minimum risk level, interval in days, note). Migration
# 0004 seeds a frozen copy; the demo creates any that are missing.
DEFAULT_RULES: list[tuple[str, int | None, int, str]] = [
    ("elderly_alone", None, 7, "独居老人每周走访一次"),
    ("left_behind_elderly", None, 14, "留守老人每两周走访一次"),
    ("empty_nest", None, 30, "空巢老人每月走访一次"),
    ("low_income", None, 30, "低保对象每月走访一次"),
    ("extreme_poverty", None, 30, "特困人员每月走访一次"),
    ("left_behind_child", None, 30, "留守儿童每月走访一次"),
    ("community_correction", None, 7, "社区矫正对象每周走访一次"),
    ("released_prisoner", None, 30, "刑满释放人员每月走访一次"),
    ("mental_disorder", None, 30, "严重精神障碍患者每月随访"),
    ("mental_disorder", 3, 14, "风险等级 3 级及以上每两周随访"),
    ("mental_disorder", 4, 7, "风险等级 4 级及以上每周随访"),
]
# The default household-type rules (household type, interval in days, note); migration 0008
# seeds a frozen copy, the demo creates any that are missing.
DEFAULT_HOUSEHOLD_RULES: list[tuple[str, int, str]] = [
    (HouseholdType.RENTED, 30, "出租户每月走访一次"),
    (HouseholdType.FLOATING, 90, "流动户每季度走访一次"),
]


def note_last_visits(visits: Iterable[Visit]) -> None:
    """Move each visited household's and person's latest visit (``LastHouseholdVisit``,
    ``LastPersonVisit``) forward to these visits. Every stored visit passes here: one at a time
    from ``post_save`` (FieldworkConfig.ready), in bulk from whoever bulk-creates them.

    A visit queued offline may arrive after a later one, so a time only ever replaces an older
    one. Two first visits to the same household at once: the second insert is ignored, and the
    update after it, which waits for the first's commit, still keeps the later time."""
    households, persons = latest_visits((v.household_id, v.person_id, v.visited_at) for v in visits)
    _move_forward(LastHouseholdVisit, "household_id", households)
    _move_forward(LastPersonVisit, "person_id", persons)


def latest_visits(
    visits: Iterable[tuple[int | None, int | None, datetime]],
) -> tuple[dict[int, datetime], dict[int, datetime]]:
    """Each household's and each person's latest time among ``visits`` (household, person,
    visited at): a visit to a person counts for their household too."""
    households: dict[int, datetime] = {}
    persons: dict[int, datetime] = {}
    for household, person, at in visits:
        for latest, pk in ((households, household), (persons, person)):
            if pk is not None and (pk not in latest or latest[pk] < at):
                latest[pk] = at
    return households, persons


def _move_forward(model: Any, key: str, latest: dict[int, datetime]) -> None:
    for pk, at in latest.items():
        rows = model.objects.filter(pk=pk, visited_at__lt=at)
        if not rows.update(visited_at=at):
            model.objects.bulk_create([model(**{key: pk}, visited_at=at)], ignore_conflicts=True)
            rows.update(visited_at=at)


def _risk_level(tag: PersonTag) -> int | None:
    value = (tag.attributes or {}).get("risk_level")
    try:
        return int(value) if value is not None and value != "" else None
    except (TypeError, ValueError):
        return None


def rule_for_tag(tag: PersonTag, rules: Iterable[VisitRule]) -> VisitRule | None:
    """The rule that governs ``tag``: among the non-retired rules of its kind whose
    ``min_level`` the tag's risk level reaches (a rule without one fits every tag of the kind),
    the shortest interval wins — the stricter care is never overridden by a general rule."""
    level = _risk_level(tag)
    today = timezone.localdate()
    best: VisitRule | None = None
    for rule in rules:
        if rule.tag_kind_id is None or rule.tag_kind_id != tag.kind_id:
            continue
        if rule.retired_on is not None and rule.retired_on <= today:
            continue
        if rule.min_level is not None and (level is None or level < rule.min_level):
            continue
        if best is None or rule.interval_days < best.interval_days:
            best = rule
    return best


def household_types(kind: str, occupancy: str) -> set[str]:
    """The household types a household is: its 户别, and 出租户 when it lives in a dwelling
    the ledger records as rented."""
    types = {kind} if kind in HouseholdType.values else set()
    if occupancy == Occupancy.RENTED:
        types.add(HouseholdType.RENTED)
    return types


def rule_for_household(
    kind: str, occupancy: str, rules: Iterable[VisitRule], *, today: date | None = None
) -> VisitRule | None:
    """The rule that governs a household of 户别 ``kind`` in a dwelling of ``occupancy``:
    among the non-retired household-type rules of the types it is, the shortest interval wins
    (a rented household of migrants is visited as often as the stricter of the two asks)."""
    types = household_types(kind, occupancy)
    today = today or timezone.localdate()
    best: VisitRule | None = None
    for rule in rules:
        if not rule.household_type or rule.household_type not in types:
            continue
        if rule.retired_on is not None and rule.retired_on <= today:
            continue
        if best is None or rule.interval_days < best.interval_days:
            best = rule
    return best


def _visible(model: Any, actor: User, value: Any, field: str) -> Any:
    """The person/household (object or pk) as ``actor`` sees it; out of scope = missing."""
    pk = getattr(value, "pk", value)
    row = model.objects.visible_to(actor).filter(pk=pk).first() if pk is not None else None
    if row is None:
        raise ValidationError({field: _(OUT_OF_SCOPE)})
    return row


def _check_text(findings: str, follow_up: str) -> tuple[str, str]:
    findings = (findings or "").strip()
    follow_up = (follow_up or "").strip()
    if not findings:
        raise ValidationError({"findings": _("请填写走访情况")})
    if len(findings) > FINDINGS_MAX:
        raise ValidationError({"findings": _("走访情况不能超过 1000 个字")})
    if len(follow_up) > FOLLOW_UP_MAX:
        raise ValidationError({"follow_up": _("后续跟进不能超过 200 个字")})
    return findings, follow_up


def _check_time(visited_at: datetime | None) -> datetime:
    now = timezone.now()
    if visited_at is None:
        return now
    if not isinstance(visited_at, datetime):
        raise ValidationError({"visited_at": _("时间格式不正确")})
    if visited_at.tzinfo is None or visited_at.utcoffset() is None:
        visited_at = timezone.make_aware(visited_at)
    if visited_at > now + CLOCK_SLACK:
        raise ValidationError({"visited_at": _("走访时间不能晚于当前时间")})
    if visited_at < now - MAX_VISIT_AGE:
        raise ValidationError({"visited_at": _("走访时间不能早于 30 天前")})
    return visited_at


def _check_position(lat: float | None, lng: float | None) -> None:
    if (lat is None) != (lng is None):
        raise ValidationError({"lat": _("经纬度须同时填写")})
    if lat is not None and not -90 <= lat <= 90:
        raise ValidationError({"lat": _("纬度应在 -90 到 90 之间")})
    if lng is not None and not -180 <= lng <= 180:
        raise ValidationError({"lng": _("经度应在 -180 到 180 之间")})


def _raise_case(actor: User, raise_case: dict[str, Any], lat: Any, lng: Any, address: str) -> Any:
    from civicgrid.cases.choices import Channel
    from civicgrid.cases.models import Category
    from civicgrid.cases.services import case_report

    category = raise_case.get("category")
    if not isinstance(category, Category):
        category = Category.objects.current().minors().filter(pk=category).first()
    if category is None:
        raise ValidationError({"raise_case": _("未知的事件小类")})
    return case_report(
        channel=Channel.GRID_WORKER,
        category=category,
        description=str(raise_case.get("description") or ""),
        lat=lat,
        lng=lng,
        address=address,
        actor=actor,
        urgent=bool(raise_case.get("urgent", False)),
    )


def _case_place(
    household: Household | None, lat: float | None, lng: float | None
) -> tuple[float | None, float | None, str]:
    """Where a problem found on a visit is: the phone's position, else the household's
    building (its address, never the room: the case travels to departments)."""
    building = None
    if household is not None and household.dwelling_id:
        building = (
            Household.objects.filter(pk=household.pk)
            .values_list(
                "dwelling__building__lat", "dwelling__building__lng", "dwelling__building__address"
            )
            .first()
        )
    if lat is None and building is not None:
        lat, lng = building[0], building[1]
    return lat, lng, building[2] if building is not None else ""


# What a visit typically finds out about the person visited and may correct on the spot
# ("collected once, used everywhere"): everything else is edited in the ledger itself.
CORRECTABLE_PERSON_FIELDS = ("phone", "presence", "occupation", "workplace")


def _check_correction(correction: Any, person: Person | None) -> dict[str, Any]:
    """The ledger correction cleaned to the fields a visit may change; empty when none."""
    if correction is None:
        return {}
    if not isinstance(correction, dict):
        raise ValidationError({"correction": _("台账更正内容格式不正确")})
    fields = {
        name: str(value).strip()
        for name, value in correction.items()
        if value is not None and str(value).strip() != ""
    }
    unknown = set(fields) - set(CORRECTABLE_PERSON_FIELDS)
    if unknown:
        raise ValidationError({"correction": _("走访时只能更正电话、人户状态、职业和工作单位")})
    if fields and person is None:
        raise ValidationError({"correction": _("台账更正须选择走访对象")})
    return fields


def visit_record(
    *,
    actor: User,
    person: Person | None = None,
    household: Household | None = None,
    purpose: str,
    findings: str,
    follow_up: str = "",
    visited_at: datetime | None = None,
    lat: float | None = None,
    lng: float | None = None,
    client_key: str = "",
    raise_case: dict[str, Any] | None = None,
    correction: dict[str, Any] | None = None,
    photos: Sequence[Any] = (),
) -> tuple[Visit, bool]:
    """Store a visit of ``actor`` to a person and/or household; ``(visit, created)``.

    A problem found on the visit (``raise_case``: category, description, urgent) becomes a
    case through the one intake, channel 网格员上报, linked to the visit. Raises a Chinese
    ValidationError per field on bad input.

    ``correction`` (phone, presence, occupation, workplace of the person visited) goes through
    ``registry.services.person_update`` in the same transaction as the visit, so the ledger
    history records it with the worker as author, and a bad value stores neither. ``photos``
    (uploaded files or base64 from the phone's outbox, at most 3) are all checked before the
    visit is stored, and stored with it."""
    if not getattr(actor, "is_authenticated", False) or (
        actor.role not in WRITE_ROLES and not actor.is_superuser
    ):
        raise ValidationError({"person": _("您的角色无权登记走访")})
    client_key = (client_key or "").strip()
    if len(client_key) > CLIENT_KEY_MAX:
        raise ValidationError({"client_key": _("客户端标识不能超过 64 个字符")})
    if client_key:
        existing = Visit.objects.filter(worker=actor, client_key=client_key).first()
        if existing is not None:
            return existing, False
    if person is None and household is None:
        raise ValidationError({"person": _("请选择走访对象或走访的户")})
    if purpose not in VisitPurpose.values:
        raise ValidationError({"purpose": _("未知的走访事由")})
    findings, follow_up = _check_text(findings, follow_up)
    at = _check_time(visited_at)
    _check_position(lat, lng)
    the_person: Person | None = None
    the_household: Household | None = None
    if person is not None:
        the_person = _visible(Person, actor, person, "person")
    if household is not None:
        the_household = _visible(Household, actor, household, "household")
    if the_person is not None and the_household is None and the_person.household_id:
        the_household = Household.objects.filter(pk=the_person.household_id).first()
    place: Any = the_person if the_person is not None else the_household
    assert place is not None
    if raise_case is not None and not isinstance(raise_case, dict):
        raise ValidationError({"raise_case": _("事件内容格式不正确")})
    corrected = _check_correction(correction, the_person)
    checked_photos = checked_visit_photos(photos)
    try:
        with transaction.atomic():
            if corrected:
                from civicgrid.registry.services import person_update

                assert the_person is not None
                # simple-history's author outside a request (API and page set it anyway).
                the_person._history_user = actor  # type: ignore[attr-defined]
                person_update(actor=actor, person=the_person, **corrected)
            case = None
            if raise_case:
                case = _raise_case(actor, raise_case, *_case_place(the_household, lat, lng))
            visit = Visit.objects.create(
                worker=actor,
                grid_id=place.grid_id,
                grid_code=place.grid_code,
                household=the_household,
                person=the_person,
                visited_at=at,
                purpose=purpose,
                findings=findings,
                follow_up=follow_up,
                case=case,
                lat=lat,
                lng=lng,
                client_key=client_key,
                corrected_fields=sorted(corrected),
            )
            store_visit_photos(visit, checked_photos)
    except IntegrityError:
        # Two copies of one queued visit arrived together: the first one stored wins.
        existing = Visit.objects.filter(worker=actor, client_key=client_key).first()
        if client_key and existing is not None:
            return existing, False
        raise
    return visit, True
