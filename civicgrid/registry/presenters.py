"""What staff see of each ledger entity, decided once (ARCHITECTURE rule 7, docs/architecture.md
"One way in").

Pages, the API, exports and notifications turn a ledger row into a plain ``dict`` here and
hand only that dict on. ID numbers, phone numbers and detailed addresses come out masked; the
plaintext leaves only with ``unmasked=True``, which a caller passes after the disclosure was
authorised and audited (``services.person_unmask``, the unmasked export), and which still
needs ``registry.unmask_pii``. Templates therefore never hold a model instance whose encrypted
fields were decrypted on load.

Each presenter reads only the row and the relations the selectors load with it
(``select_related``), so presenting a page of rows costs no query per row. Relations that
were not loaded are left out rather than fetched.

The ledgers have one audience, staff of the jurisdiction (``LEDGER_READERS``): residents and
the public never reach them, so there is no public variant.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied

from civicgrid.core.pii import mask_address, mask_id_number, mask_phone
from civicgrid.registry.querysets import UNMASK_PERM

__all__ = [
    "present_building",
    "present_dwelling",
    "present_household",
    "present_many",
    "present_move",
    "present_organization",
    "present_person",
    "present_tag",
]


def _cached(obj: Any, name: str) -> Any:
    """The related object ``name`` if the query already loaded it, else ``None`` (never a
    query: a page of rows must not cost one query per row)."""
    cache = obj._state.fields_cache
    return cache.get(name)


def _check_unmask(user: Any, unmasked: bool) -> None:
    # Defence in depth: the services authorised and audited the disclosure already.
    if unmasked and not (user is not None and user.has_perm(UNMASK_PERM)):
        raise PermissionDenied


def _verifier(obj: Any) -> str:
    user = _cached(obj, "verified_by")
    return str(user) if user is not None else ""


def _grid(obj: Any) -> dict[str, Any] | None:
    grid = _cached(obj, "grid")
    if grid is None:
        return None
    return {"pk": grid.pk, "code": grid.code, "name": grid.name, "label": grid.name}


def _building_ref(building: Any) -> dict[str, Any] | None:
    if building is None:
        return None
    return {"pk": building.pk, "address": building.address, "label": str(building)}


def _dwelling_ref(dwelling: Any) -> dict[str, Any] | None:
    if dwelling is None:
        return None
    return {
        "pk": dwelling.pk,
        "label": str(dwelling),
        "building": _building_ref(_cached(dwelling, "building")),
    }


def _household_label(household: Any) -> str:
    # str(household) falls back to its dwelling, which may not be loaded: never query for it.
    if household.number:
        return str(household.number)
    dwelling = _cached(household, "dwelling")
    return str(dwelling) if dwelling is not None else ""


def _household_ref(household: Any) -> dict[str, Any] | None:
    if household is None:
        return None
    return {"pk": household.pk, "number": household.number, "label": _household_label(household)}


def _common(obj: Any) -> dict[str, Any]:
    return {
        "id": obj.pk,
        "pk": obj.pk,
        "grid_code": obj.grid_code,
        "grid": _grid(obj),
        "last_verified_on": obj.last_verified_on,
        "verified_by": _verifier(obj),
        "retired_on": obj.retired_on,
    }


def present_building(building: Any, *, user: Any) -> dict[str, Any]:
    data = _common(building)
    data.update(
        label=str(building),
        address=building.address,
        name=building.name,
        lat=building.lat,
        lng=building.lng,
        floors=building.floors,
        units=building.units,
        building_type=building.building_type,
        building_type_display=building.get_building_type_display(),
        property_manager=building.property_manager,
        dwelling_count=getattr(building, "dwelling_count", None),
    )
    return data


def present_dwelling(dwelling: Any, *, user: Any, unmasked: bool = False) -> dict[str, Any]:
    _check_unmask(user, unmasked)
    data = _common(dwelling)
    data.update(
        label=str(dwelling),
        building_id=dwelling.building_id,
        building=_building_ref(_cached(dwelling, "building")),
        unit=dwelling.unit,
        floor=dwelling.floor,
        room=dwelling.room,
        use=dwelling.use,
        use_display=dwelling.get_use_display(),
        occupancy=dwelling.occupancy,
        occupancy_display=dwelling.get_occupancy_display(),
        area_m2=dwelling.area_m2,
        lessor_name=dwelling.lessor_name,
        lessor_phone=dwelling.lessor_phone if unmasked else mask_phone(dwelling.lessor_phone),
        rental_type=dwelling.rental_type,
        rental_type_display=dwelling.get_rental_type_display(),
        hazard_level=dwelling.hazard_level,
        hazard_level_display=dwelling.get_hazard_level_display(),
        household_count=getattr(dwelling, "household_count", None),
    )
    return data


def present_household(household: Any, *, user: Any) -> dict[str, Any]:
    data = _common(household)
    head = _cached(household, "head") if household.head_id else None
    dwelling = _cached(household, "dwelling")
    data.update(
        label=_household_label(household),
        number=household.number,
        kind=household.kind,
        kind_display=household.get_kind_display(),
        dwelling_id=household.dwelling_id,
        dwelling=_dwelling_ref(dwelling),
        building=_building_ref(_cached(dwelling, "building") if dwelling else None),
        head_id=household.head_id,
        # Only the name: the head's ID number and phone are on the person's own page, masked.
        head_name=head.name if head is not None else "",
        member_count=getattr(household, "member_count", None),
    )
    return data


def present_person(person: Any, *, user: Any, unmasked: bool = False) -> dict[str, Any]:
    """A person as staff see them: ID number, phone and address masked unless ``unmasked``
    (after an audited disclosure, with ``registry.unmask_pii``)."""
    _check_unmask(user, unmasked)
    data = _common(person)
    dwelling = _cached(person, "dwelling") if person.dwelling_id else None
    household = _cached(person, "household") if person.household_id else None
    if unmasked:
        secret = {"id_number": person.id_number, "phone": person.phone, "address": person.address}
    else:
        secret = {
            "id_number": mask_id_number(person.id_number),
            "phone": mask_phone(person.phone),
            "address": mask_address(person.address),
        }
    data.update(
        label=person.name,
        name=person.name,
        former_name=person.former_name,
        document_type=person.document_type,
        document_type_display=person.get_document_type_display(),
        birth_date=person.birth_date,
        sex=person.sex,
        sex_display=person.get_sex_display(),
        ethnicity=person.ethnicity,
        hukou_place=person.hukou_place,
        residency=person.residency,
        residency_display=person.get_residency_display(),
        household_id=person.household_id,
        household=_household_ref(household),
        relation=person.relation,
        relation_display=person.get_relation_display(),
        presence=person.presence,
        presence_display=person.get_presence_display(),
        dwelling_id=person.dwelling_id,
        dwelling=_dwelling_ref(dwelling),
        building=_building_ref(_cached(dwelling, "building") if dwelling else None),
        workplace=person.workplace,
        occupation=person.occupation,
        education=person.education,
        education_display=person.get_education_display(),
        marital_status=person.marital_status,
        marital_status_display=person.get_marital_status_display(),
        political_status=person.political_status,
        political_status_display=person.get_political_status_display(),
        is_party_member=person.is_party_member,
        moved_in_on=person.moved_in_on,
        moved_out_on=person.moved_out_on,
        died_on=person.died_on,
        status=person.status,
        status_display=person.get_status_display(),
        float_reason=person.float_reason,
        float_reason_display=person.get_float_reason_display(),
        arrived_on=person.arrived_on,
        expected_stay_months=person.expected_stay_months,
        lodging_type=person.lodging_type,
        lodging_type_display=person.get_lodging_type_display(),
        created_at=person.created_at,
        unmasked=unmasked,
        **secret,
    )
    return data


def present_organization(org: Any, *, user: Any, unmasked: bool = False) -> dict[str, Any]:
    _check_unmask(user, unmasked)
    data = _common(org)
    data.update(
        label=org.name,
        name=org.name,
        kind=org.kind,
        kind_display=org.get_kind_display(),
        uscc=org.uscc,
        address=org.address,
        building_id=org.building_id,
        building=_building_ref(_cached(org, "building") if org.building_id else None),
        lat=org.lat,
        lng=org.lng,
        contact_name=org.contact_name,
        contact_phone=org.contact_phone if unmasked else mask_phone(org.contact_phone),
        staff_count=org.staff_count,
    )
    return data


def present_tag(tag: Any, *, user: Any) -> dict[str, Any]:
    """A person's tag; callers pass only tags from ``PersonTag.objects.visible_to(user)``,
    which already hides special groups from users without that permission."""
    kind = tag.kind
    return {
        "pk": tag.pk,
        "kind_name": kind.name,
        "sensitive": kind.sensitive,
        "attributes": kind.describe(tag.attributes),
        "started_on": tag.started_on,
        "ended_on": tag.ended_on,
        "note": tag.note,
    }


def present_move(move: Any, *, user: Any) -> dict[str, Any]:
    person = _cached(move, "person")
    actor = _cached(move, "actor")
    return {
        "pk": move.pk,
        "person_id": move.person_id,
        "person_name": person.name if person is not None else "",
        "kind": move.kind,
        "kind_display": move.get_kind_display(),
        "moved_on": move.moved_on,
        "from_grid_code": move.from_grid_code,
        "to_grid_code": move.to_grid_code,
        "destination": move.destination,
        "note": move.note,
        "actor": str(actor) if actor is not None else "",
    }


_PRESENTERS = {
    "Building": present_building,
    "Dwelling": present_dwelling,
    "Household": present_household,
    "Person": present_person,
    "Organization": present_organization,
    "PersonTag": present_tag,
    "PersonMove": present_move,
}


def present_many(rows: Iterable[Any], *, user: Any) -> list[dict[str, Any]]:
    """Present each row with the presenter of its model (masked)."""
    out = []
    for row in rows:
        presenter: Any = _PRESENTERS[type(row).__name__]
        out.append(presenter(row, user=user))
    return out
