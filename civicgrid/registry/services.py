"""Writes to the ledgers. HTML views, the API, imports and the demo all come through here.

Every function is keyword-only and atomic. Validation errors carry Chinese messages keyed by
field so forms and the API can show them next to the input (rule 4).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.core import throttle
from civicgrid.core.audit import audit_record
from civicgrid.geo.models import Grid
from civicgrid.geo.selectors import locate, locate_batch
from civicgrid.registry.choices import (
    DocumentType,
    HouseholdKind,
    MoveKind,
    Occupancy,
    PersonStatus,
    Relation,
)
from civicgrid.registry.identity import id_number_index, parse_document
from civicgrid.registry.models import (
    Building,
    Dwelling,
    Household,
    LedgerRow,
    Organization,
    Person,
    PersonMove,
    PersonTag,
    TagKind,
)
from civicgrid.registry.querysets import UNMASK_PERM, sees_special_groups

if TYPE_CHECKING:
    from civicgrid.accounts.models import User

L = TypeVar("L", bound=LedgerRow)

UNMASK_REASON_MIN_LENGTH = 4


def _today() -> date:
    return timezone.localdate()


def _require_scope(actor: User, grid: Grid) -> None:
    if not actor.in_scope(grid.code, reads="ledgers"):
        raise ValidationError(_("该位置不在您的管辖范围内"))


def _require_rows(actor: User, *rows: Any) -> None:
    """Every ledger row a write touches must lie in the actor's ledger jurisdiction, not only
    the one named in the URL (ARCHITECTURE rule 8): a household, dwelling or person picked by
    ID in a form or a JSON body is checked here again."""
    for row in rows:
        if row is None:
            continue
        # A row not saved yet has no grid_code; its grid says where it will be.
        code = row.grid_code or (row.grid.code if row.grid_id else "")
        if not actor.in_scope(code, reads="ledgers"):
            raise ValidationError(_("所选记录不在您的管辖范围内"))


def _apply(obj: Any, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        setattr(obj, name, value)


def _save(obj: L, exclude: Sequence[str] = ()) -> L:
    """full_clean then save, so every door gets the same Chinese messages."""
    obj.sync_grid_code()
    obj.full_clean(exclude=["grid_code", *exclude])
    obj.save()
    return obj


def _grid_for_point(lat: float, lng: float) -> Grid:
    found = locate(lat, lng)
    if found is None:
        raise ValidationError({"lat": _("该位置不在任何网格内,请核对坐标")})
    return found.grid


# ---------------------------------------------------------------------------------- buildings


@transaction.atomic
def building_create(*, actor: User, lat: float, lng: float, **fields: Any) -> Building:
    grid = _grid_for_point(lat, lng)
    _require_scope(actor, grid)
    return _save(Building(grid=grid, lat=lat, lng=lng, **fields))


@transaction.atomic
def building_update(*, actor: User, building: Building, **fields: Any) -> Building:
    _require_rows(actor, building)
    old_grid_id = building.grid_id
    _apply(building, fields)
    if "lat" in fields or "lng" in fields:
        building.grid = _grid_for_point(building.lat, building.lng)
        _require_scope(actor, building.grid)
    _save(building)
    if building.grid_id != old_grid_id:
        _move_building_contents({building.grid: [building.pk]})
    return building


def _move_building_contents(targets: dict[Grid, list[int]]) -> int:
    """Give the dwellings, households, people and tags of the buildings their new grid, in a
    handful of UPDATEs per target grid."""
    moved = 0
    for grid, building_ids in targets.items():
        values = {"grid": grid, "grid_code": grid.code}
        moved += Dwelling.objects.filter(building_id__in=building_ids).update(**values)
        moved += Household.objects.filter(dwelling__building_id__in=building_ids).update(**values)
        people = Person.objects.filter(dwelling__building_id__in=building_ids)
        moved += PersonTag.objects.filter(person__in=people).update(**values)
        moved += people.update(**values)
        moved += Organization.objects.filter(building_id__in=building_ids).update(**values)
    return moved


def relocate_after_grid_change(old: Sequence[Grid], new: Sequence[Grid]) -> int:
    """Relocator for grid splits and merges: every building in a retired grid goes to the new
    grid containing its point, everything inside it follows. Rows without a point of their
    own (people without a dwelling, organisations without a location) go to the first new
    grid, where the completeness audit shows them for checking."""
    if not old or not new:
        return 0
    old_ids = [g.pk for g in old]
    by_id = {g.pk: g for g in Grid.objects.filter(pk__in=[g.pk for g in new])}
    fallback = by_id[min(by_id, key=lambda pk: by_id[pk].code)]
    buildings = list(Building.objects.filter(grid_id__in=old_ids).values_list("pk", "lat", "lng"))
    located = locate_batch([(lat, lng) for _pk, lat, lng in buildings])
    targets: dict[Grid, list[int]] = defaultdict(list)
    for (pk, _lat, _lng), grid_id in zip(buildings, located, strict=True):
        targets[by_id.get(grid_id or -1, fallback)].append(pk)
    moved = 0
    for grid, ids in targets.items():
        moved += Building.objects.filter(pk__in=ids).update(grid=grid, grid_code=grid.code)
    moved += _move_building_contents(targets)
    orgs = list(
        Organization.objects.filter(grid_id__in=old_ids, building__isnull=True).values_list(
            "pk", "lat", "lng"
        )
    )
    org_located = locate_batch([(lat or 0.0, lng or 0.0) for _pk, lat, lng in orgs])
    org_targets: dict[Grid, list[int]] = defaultdict(list)
    for (pk, lat, _lng), grid_id in zip(orgs, org_located, strict=True):
        grid = by_id.get(grid_id or -1, fallback) if lat is not None else fallback
        org_targets[grid].append(pk)
    for grid, ids in org_targets.items():
        moved += Organization.objects.filter(pk__in=ids).update(grid=grid, grid_code=grid.code)
    values = {"grid": fallback, "grid_code": fallback.code}
    leftovers = Person.objects.filter(grid_id__in=old_ids)
    moved += PersonTag.objects.filter(person__in=leftovers).update(**values)
    moved += leftovers.update(**values)
    moved += Household.objects.filter(grid_id__in=old_ids).update(**values)
    return moved


# ---------------------------------------------------------------------------------- dwellings


@transaction.atomic
def dwelling_create(*, actor: User, building: Building, **fields: Any) -> Dwelling:
    _require_rows(actor, building)
    return _save(Dwelling(building=building, grid=building.grid, **fields))


@transaction.atomic
def dwelling_update(*, actor: User, dwelling: Dwelling, **fields: Any) -> Dwelling:
    _require_rows(actor, dwelling)
    _apply(dwelling, fields)
    return _save(dwelling)


# --------------------------------------------------------------------------------- households


@transaction.atomic
def household_register(
    *,
    actor: User,
    dwelling: Dwelling,
    kind: str = HouseholdKind.REGISTERED,
    number: str = "",
    head: Person | None = None,
) -> Household:
    """Register a household in a dwelling; the dwelling stops counting as vacant."""
    _require_rows(actor, dwelling, head)
    household = _save(Household(dwelling=dwelling, grid=dwelling.grid, kind=kind, number=number))
    if dwelling.occupancy in (Occupancy.VACANT, Occupancy.UNKNOWN):
        dwelling.occupancy = (
            Occupancy.OWNER if kind == HouseholdKind.REGISTERED else Occupancy.RENTED
        )
        dwelling.save(update_fields=["occupancy", "updated_at"])
    if head is not None:
        _join_household(head, household, Relation.HEAD)
        head.save()
    return household


@transaction.atomic
def household_update(*, actor: User, household: Household, **fields: Any) -> Household:
    """Change a household's own columns. The head is changed only by
    ``household_set_head``, which keeps exactly one member marked as head."""
    _require_rows(actor, household)
    if "head" in fields:
        head = fields.pop("head")
        if head is None:
            raise ValidationError({"head": _("户主只能更换为本户另一名成员,不能清空")})
        household_set_head(actor=actor, household=household, head=head)
    _apply(household, fields)
    return _save(household)


@transaction.atomic
def household_set_head(*, actor: User, household: Household, head: Person) -> Household:
    """Make ``head`` the household's head: the former head keeps the record, not the title,
    so exactly one member is marked as head afterwards (pages and API both come here)."""
    _require_rows(actor, household, head)
    if head.household_id != household.pk or head.retired_on is not None:
        raise ValidationError({"head": _("户主必须是本户成员")})
    if head.status != PersonStatus.LIVING:
        raise ValidationError({"head": _("户主必须是在住人员")})
    # Lock the household row so two concurrent changes of head cannot leave two heads.
    Household.objects.select_for_update().filter(pk=household.pk).first()
    Person.objects.filter(household=household, relation=Relation.HEAD).exclude(pk=head.pk).update(
        relation=""
    )
    if head.relation != Relation.HEAD:
        head.relation = Relation.HEAD
        head.save(update_fields=["relation", "updated_at"])
    household.head = head
    household.save(update_fields=["head", "updated_at"])
    return household


def _join_household(person: Person, household: Household, relation: str) -> None:
    person.household = household
    person.relation = relation
    person.dwelling = household.dwelling
    person.grid = household.grid
    if relation == Relation.HEAD:
        household.head = person
        # The head must exist before the household can point at it.
        if person.pk is None:
            person.save()
        household.save(update_fields=["head", "updated_at"])


# ------------------------------------------------------------------------------------- people


def _check_identity(person: Person) -> None:
    """Normalise the document number and refuse one already used by another living person
    (without saying where: that person may be outside the user's jurisdiction)."""
    if not person.id_number:
        return
    try:
        person.id_number = parse_document(person.document_type, person.id_number).number
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from exc
    clash = Person.objects.filter(
        id_number_index=id_number_index(person.id_number),
        status=PersonStatus.LIVING,
        retired_on__isnull=True,
    ).exclude(pk=person.pk)
    if person.status == PersonStatus.LIVING and clash.exists():
        raise ValidationError(
            {"id_number": _("该证件号码已登记为在住人员;如本人迁入,请使用“迁入登记”办理")}
        )


def _save_person(person: Person) -> Person:
    if person.household_id and not person.dwelling_id:
        person.dwelling = person.household.dwelling  # type: ignore[union-attr]
    if person.dwelling_id:
        person.grid = person.dwelling.grid  # type: ignore[union-attr]
    _check_identity(person)
    person.fill_derived()
    _save(person)
    if person.relation == Relation.HEAD and person.household_id:
        household = person.household
        assert household is not None
        if household.head_id != person.pk:
            # One head per household: the former head keeps the record, not the title.
            Person.objects.filter(household=household, relation=Relation.HEAD).exclude(
                pk=person.pk
            ).update(relation="")
            household.head = person
            household.save(update_fields=["head", "updated_at"])
    return person


@transaction.atomic
def person_create(*, actor: User, grid: Grid | None = None, **fields: Any) -> Person:
    person = Person(**fields)
    if grid is not None:
        person.grid = grid
    _require_rows(actor, person.household, person.dwelling)
    if person.household_id and person.dwelling_id:
        if person.household.dwelling_id != person.dwelling_id:  # type: ignore[union-attr]
            raise ValidationError({"household": _("所选住户不在所选房屋中")})
    if person.dwelling_id or person.household_id:
        target = person.dwelling or person.household.dwelling  # type: ignore[union-attr]
        person.grid = target.grid
    if not person.grid_id:
        raise ValidationError({"grid": _("请选择所属网格或现住房屋")})
    _require_scope(actor, person.grid)
    return _save_person(person)


@transaction.atomic
def person_update(*, actor: User, person: Person, **fields: Any) -> Person:
    _require_rows(actor, person, fields.get("household"), fields.get("dwelling"))
    _apply(person, fields)
    if person.dwelling_id:
        _require_scope(actor, person.dwelling.grid)  # type: ignore[union-attr]
    return _save_person(person)


@transaction.atomic
def person_move_in(
    *,
    actor: User,
    dwelling: Dwelling,
    moved_on: date,
    household: Household | None = None,
    relation: str = "",
    **fields: Any,
) -> Person:
    """Someone arrives at a dwelling of the actor's jurisdiction. A person already in the
    actor's ledgers (found by ID number) is moved, keeping their record and its history;
    anyone else is registered new. Someone living in another jurisdiction is refused: only
    the grid worker where they live now may move them out, and nobody here may rename or
    pull in a record they cannot see (docs/architecture.md "One way in")."""
    _require_scope(actor, dwelling.grid)
    _require_rows(actor, household)
    if household is not None and household.dwelling_id != dwelling.pk:
        raise ValidationError({"household": _("所选住户不在迁入的房屋中")})
    document_type = fields.get("document_type", DocumentType.RESIDENT_ID)
    existing = None
    if fields.get("id_number"):
        try:
            number = parse_document(document_type, fields["id_number"]).number
        except ValidationError as exc:
            raise ValidationError({"id_number": exc.messages}) from exc
        index = id_number_index(number)
        existing = (
            Person.objects.visible_to(actor)
            .filter(id_number_index=index, retired_on__isnull=True)
            .order_by("status", "pk")  # a living record first
            .first()
        )
        if (existing is None or existing.status != PersonStatus.LIVING) and (
            Person.objects.filter(
                id_number_index=index, retired_on__isnull=True, status=PersonStatus.LIVING
            ).exists()
        ):
            raise ValidationError(
                {"id_number": _("该证件号已在其他辖区登记,请由现居地网格员办理迁出")}
            )
    if existing is None:
        person = Person(**fields)
        from_code = ""
    else:
        person = existing
        from_code = person.grid_code
        for name, value in fields.items():
            if value not in ("", None):
                setattr(person, name, value)
    if person.household_id and person.household_id != getattr(household, "pk", None):
        _leave_household(person)
    person.status = PersonStatus.LIVING
    person.moved_in_on = moved_on
    person.moved_out_on = None
    person.dwelling = dwelling
    person.grid = dwelling.grid
    if household is not None:
        person.household = household
        person.relation = relation or Relation.RELATIVE
    person = _save_person(person)
    PersonMove.objects.create(
        person=person,
        kind=MoveKind.MOVE_IN,
        moved_on=moved_on,
        from_grid_code=from_code,
        to_grid_code=dwelling.grid_code,
        to_dwelling=dwelling,
        actor=actor,
    )
    return person


def _leave_household(person: Person) -> None:
    household = person.household
    if household is not None and household.head_id == person.pk:
        household.head = None
        household.save(update_fields=["head", "updated_at"])
    person.household = None
    person.relation = ""


@transaction.atomic
def person_move_out(
    *,
    actor: User,
    person: Person,
    moved_on: date,
    to_grid: Grid | None = None,
    to_dwelling: Dwelling | None = None,
    destination: str = "",
    note: str = "",
) -> Person:
    """Move a person out of their dwelling. Within the platform (``to_dwelling`` in the
    actor's jurisdiction, or ``to_grid`` anywhere) the same record moves: the receiving grid
    sees it from now on, the old grid keeps the history and the move log. Otherwise the
    person is marked as moved away and stays in the old grid's ledger."""
    _require_rows(actor, person)
    if person.status != PersonStatus.LIVING:
        raise ValidationError(_("只有在住人员可以办理迁出"))
    if to_dwelling is not None:
        _require_scope(actor, to_dwelling.grid)
        to_grid = to_dwelling.grid
    from_code = person.grid_code
    from_dwelling = person.dwelling
    _leave_household(person)
    if to_grid is None:
        if not destination:
            raise ValidationError({"destination": _("请填写迁往何处")})
        person.status = PersonStatus.MOVED_AWAY
        person.moved_out_on = moved_on
        kind = MoveKind.OUT
    else:
        person.grid = to_grid
        person.dwelling = to_dwelling
        person.moved_in_on = moved_on
        same_community = to_grid.code[:12] == from_code[:12]
        kind = MoveKind.WITHIN if same_community else MoveKind.OUT
    person.save()
    PersonTag.objects.filter(person=person).update(grid=person.grid, grid_code=person.grid_code)
    PersonMove.objects.create(
        person=person,
        kind=kind,
        moved_on=moved_on,
        from_grid_code=from_code,
        to_grid_code=to_grid.code if to_grid else "",
        from_dwelling=from_dwelling,
        to_dwelling=to_dwelling,
        destination=destination,
        note=note,
        actor=actor,
    )
    return person


@transaction.atomic
def person_mark_deceased(*, actor: User, person: Person, died_on: date) -> Person:
    _require_rows(actor, person)
    if person.status == PersonStatus.DECEASED:
        raise ValidationError(_("该人员已登记死亡"))
    if died_on > _today():
        raise ValidationError({"died_on": _("死亡日期不能晚于今天")})
    _leave_household(person)
    person.status = PersonStatus.DECEASED
    person.died_on = died_on
    person.save()
    PersonTag.objects.filter(person=person, ended_on__isnull=True).update(ended_on=died_on)
    return person


# Fields the surviving record takes from the duplicate when its own are empty.
_MERGE_FILL = [
    "former_name",
    "phone",
    "address",
    "ethnicity",
    "hukou_place",
    "workplace",
    "occupation",
    "education",
    "marital_status",
    "political_status",
]
# Where the person lives now: taken from whichever record is living here.
_MERGE_SITUATION = [
    "grid",
    "dwelling",
    "household",
    "relation",
    "presence",
    "residency",
    "status",
    "moved_in_on",
    "moved_out_on",
    "float_reason",
    "arrived_on",
    "expected_stay_months",
    "lodging_type",
]


@transaction.atomic
def person_merge(
    *, actor: User, first: Person, second: Person, request: HttpRequest | None = None
) -> Person:
    """Join two records of one person (same ID number). The older record survives, takes the
    references and any field it lacks; the younger is retired with a date, never deleted."""
    _require_rows(actor, first, second)
    if first.pk == second.pk:
        raise ValidationError(_("不能与自身合并"))
    if not first.id_number_index or first.id_number_index != second.id_number_index:
        raise ValidationError(_("只有证件号码相同的记录可以合并"))
    keep, drop = sorted([first, second], key=lambda p: (p.created_at, p.pk))
    living = drop if drop.status == PersonStatus.LIVING else keep
    situation = {name: getattr(living, name) for name in _MERGE_SITUATION}
    drop.status = PersonStatus.MERGED
    drop.merged_into = keep
    drop.retired_on = _today()
    drop.save()
    for name in _MERGE_FILL:
        if not getattr(keep, name) and getattr(drop, name):
            setattr(keep, name, getattr(drop, name))
    _apply(keep, situation)
    keep.retired_on = None
    keep.save()
    Household.objects.filter(head=drop).update(head=keep)
    PersonMove.objects.filter(person=drop).update(person=keep)
    held = set(PersonTag.objects.filter(person=keep, ended_on__isnull=True).values_list("kind_id"))
    for tag in PersonTag.objects.filter(person=drop):
        if tag.ended_on is None and (tag.kind_id,) in held:
            tag.ended_on = _today()
            tag.note = (tag.note + " " + _("合并重复记录")).strip()[:200]
        tag.person = keep
        tag.grid = keep.grid
        tag.save()
    audit_record(
        actor=actor,
        action="person_merge",
        target=keep,
        reason=f"merged #{drop.pk}",
        request=request,
    )
    return keep


# ------------------------------------------------------------------------------ verification


@transaction.atomic
def record_verify(*, actor: User, record: L, on: date | None = None) -> L:
    """The grid worker checked the record on the spot: stamp date and verifier."""
    _require_rows(actor, record)
    record.last_verified_on = on or _today()
    record.verified_by = actor
    record.save(update_fields=["last_verified_on", "verified_by", "updated_at"])
    return record


# ------------------------------------------------------------------------------ organisations


@transaction.atomic
def organization_create(*, actor: User, **fields: Any) -> Organization:
    org = Organization(**fields)
    _require_rows(actor, fields.get("building"))
    if org.building_id:
        org.grid = org.building.grid  # type: ignore[union-attr]
    elif org.lat is not None and org.lng is not None:
        org.grid = _grid_for_point(org.lat, org.lng)
    if not org.grid_id:
        raise ValidationError({"building": _("请选择所在楼栋或填写坐标")})
    _require_scope(actor, org.grid)
    return _save(org)


@transaction.atomic
def organization_update(*, actor: User, organization: Organization, **fields: Any) -> Organization:
    _require_rows(actor, organization, fields.get("building"))
    _apply(organization, fields)
    if organization.building_id:
        organization.grid = organization.building.grid  # type: ignore[union-attr]
    elif "lat" in fields or "lng" in fields:
        if organization.lat is not None and organization.lng is not None:
            organization.grid = _grid_for_point(organization.lat, organization.lng)
    _require_scope(actor, organization.grid)
    return _save(organization)


# --------------------------------------------------------------------------------------- tags


@transaction.atomic
def person_tag_add(
    *,
    actor: User,
    person: Person,
    kind: TagKind,
    attributes: dict[str, Any] | None = None,
    started_on: date | None = None,
    note: str = "",
) -> PersonTag:
    _require_rows(actor, person)
    if kind.sensitive and not sees_special_groups(actor):
        raise PermissionDenied
    if kind.retired_on is not None:
        raise ValidationError({"kind": _("该类别已停用")})
    try:
        cleaned = kind.clean_attributes(attributes or {})
    except ValidationError as exc:
        raise ValidationError({"attributes": exc.messages}) from exc
    if PersonTag.objects.filter(person=person, kind=kind, ended_on__isnull=True).exists():
        raise ValidationError({"kind": _("该人员已有此类别的有效标签")})
    return PersonTag.objects.create(
        person=person,
        kind=kind,
        grid=person.grid,
        attributes=cleaned,
        started_on=started_on or _today(),
        note=note,
        created_by=actor,
    )


@transaction.atomic
def person_tag_end(*, actor: User, tag: PersonTag, ended_on: date | None = None) -> PersonTag:
    _require_rows(actor, tag)
    if tag.kind.sensitive and not sees_special_groups(actor):
        raise PermissionDenied
    tag.ended_on = ended_on or _today()
    tag.save(update_fields=["ended_on"])
    return tag


# ---------------------------------------------------------------------------------- unmasking


class DisclosureLimitReached(PermissionDenied):
    """Too many disclosures by one user within the hour (refused and audited)."""


def unmask_limit() -> int:
    return int(settings.UNMASK_LIMIT_PER_HOUR)


def disclosure_authorize(
    *,
    actor: User,
    target: Any,
    action: str,
    field: str,
    reason: str,
    request: HttpRequest | None = None,
    reason_message: str,
    hourly_limit: int | None = None,
) -> str:
    """Every door to plaintext personal data (unmasking a person, an unmasked export) passes
    here: the permission, a stated reason, an hourly limit per user when ``hourly_limit`` is
    given, and an audit entry either way (refusals too). Returns the normalised reason."""
    if not actor.has_perm(UNMASK_PERM):
        audit_record(
            actor=actor,
            action=action,
            target=target,
            field=field,
            reason=reason,
            request=request,
            result="denied",
        )
        raise PermissionDenied
    reason = " ".join((reason or "").split())
    if len(reason) < UNMASK_REASON_MIN_LENGTH:
        raise ValidationError({"reason": reason_message % {"n": UNMASK_REASON_MIN_LENGTH}})
    if hourly_limit is not None and not throttle.hit(
        f"disclose:{action}", str(actor.pk), limit=hourly_limit, window_seconds=3600
    ):
        # Someone reading person after person is harvesting, not working a case: stop them and
        # leave a trace the audit administrator sees.
        message = _("查看完整信息过于频繁(每小时最多%(n)d次),请稍后再试") % {"n": hourly_limit}
        audit_record(
            actor=actor,
            action=action,
            target=target,
            field=field,
            reason=f"{reason} · {message}",
            request=request,
            result="denied",
        )
        raise DisclosureLimitReached(message)
    audit_record(
        actor=actor, action=action, target=target, field=field, reason=reason, request=request
    )
    return reason


def person_unmask(
    *, actor: User, person: Person, reason: str, request: HttpRequest | None = None
) -> dict[str, str]:
    """The plaintext ID number, phone and address, for a stated reason, written to the audit
    trail (who, what, why, when, from where)."""
    disclosure_authorize(
        actor=actor,
        target=person,
        action="unmask",
        field="id_number,phone,address",
        reason=reason,
        request=request,
        reason_message=_("请填写查看事由(至少%(n)d个字)"),
        hourly_limit=unmask_limit(),
    )
    return {"id_number": person.id_number, "phone": person.phone, "address": person.address}
