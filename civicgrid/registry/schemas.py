"""API shapes of the ledgers. Personal data leaves only masked (``resolve_*``); the plaintext
needs ``POST /persons/{id}/unmask`` with a reason."""

from __future__ import annotations

from datetime import date
from typing import Any, Generic, TypeVar

from ninja import Schema

from civicgrid.core.pii import mask_address, mask_id_number, mask_phone

T = TypeVar("T")


class PageOut(Schema, Generic[T]):
    count: int
    page: int
    pages: int
    items: list[T]


class BuildingOut(Schema):
    id: int
    grid_code: str
    address: str
    name: str
    lat: float
    lng: float
    floors: int
    units: int
    building_type: str
    property_manager: str
    last_verified_on: date | None


class BuildingIn(Schema):
    address: str
    name: str = ""
    lat: float
    lng: float
    floors: int = 1
    units: int = 1
    building_type: str = "residential"
    property_manager: str = ""


class BuildingPatch(Schema):
    address: str | None = None
    name: str | None = None
    lat: float | None = None
    lng: float | None = None
    floors: int | None = None
    units: int | None = None
    building_type: str | None = None
    property_manager: str | None = None


class DwellingOut(Schema):
    id: int
    building_id: int
    grid_code: str
    unit: str
    floor: int | None
    room: str
    use: str
    occupancy: str
    lessor_name: str
    lessor_phone: str
    rental_type: str
    hazard_level: str
    last_verified_on: date | None

    @staticmethod
    def resolve_lessor_phone(obj: Any) -> str:
        return mask_phone(obj.lessor_phone)


class DwellingIn(Schema):
    building_id: int
    unit: str = ""
    floor: int | None = None
    room: str
    use: str = "residential"
    occupancy: str = "unknown"
    lessor_name: str = ""
    lessor_phone: str = ""
    rental_type: str = ""
    hazard_level: str = ""


class DwellingPatch(Schema):
    unit: str | None = None
    floor: int | None = None
    room: str | None = None
    use: str | None = None
    occupancy: str | None = None
    lessor_name: str | None = None
    lessor_phone: str | None = None
    rental_type: str | None = None
    hazard_level: str | None = None


class HouseholdOut(Schema):
    id: int
    dwelling_id: int
    grid_code: str
    number: str
    kind: str
    head_id: int | None
    last_verified_on: date | None


class HouseholdIn(Schema):
    dwelling_id: int
    number: str = ""
    kind: str = "registered"


class HouseholdPatch(Schema):
    number: str | None = None
    kind: str | None = None
    head_id: int | None = None


class PersonOut(Schema):
    id: int
    grid_code: str
    name: str
    former_name: str
    document_type: str
    id_number: str
    birth_date: date | None
    sex: str
    ethnicity: str
    phone: str
    address: str
    residency: str
    household_id: int | None
    relation: str
    presence: str
    dwelling_id: int | None
    workplace: str
    occupation: str
    education: str
    marital_status: str
    political_status: str
    is_party_member: bool
    moved_in_on: date | None
    moved_out_on: date | None
    status: str
    float_reason: str
    arrived_on: date | None
    expected_stay_months: int | None
    lodging_type: str
    last_verified_on: date | None

    @staticmethod
    def resolve_id_number(obj: Any) -> str:
        return mask_id_number(obj.id_number)

    @staticmethod
    def resolve_phone(obj: Any) -> str:
        return mask_phone(obj.phone)

    @staticmethod
    def resolve_address(obj: Any) -> str:
        return mask_address(obj.address)


class PersonIn(Schema):
    name: str
    former_name: str = ""
    document_type: str = "ric"
    id_number: str = ""
    ethnicity: str = ""
    phone: str = ""
    address: str = ""
    hukou_place: str = ""
    residency: str = "registered"
    household_id: int | None = None
    relation: str = ""
    presence: str = "consistent"
    dwelling_id: int | None = None
    grid_code: str = ""
    workplace: str = ""
    occupation: str = ""
    education: str = ""
    marital_status: str = ""
    political_status: str = ""
    moved_in_on: date | None = None
    float_reason: str = ""
    arrived_on: date | None = None
    expected_stay_months: int | None = None
    lodging_type: str = ""


class PersonPatch(Schema):
    name: str | None = None
    former_name: str | None = None
    id_number: str | None = None
    ethnicity: str | None = None
    phone: str | None = None
    address: str | None = None
    hukou_place: str | None = None
    residency: str | None = None
    relation: str | None = None
    presence: str | None = None
    workplace: str | None = None
    occupation: str | None = None
    education: str | None = None
    marital_status: str | None = None
    political_status: str | None = None
    float_reason: str | None = None
    arrived_on: date | None = None
    expected_stay_months: int | None = None
    lodging_type: str | None = None


class OrganizationOut(Schema):
    id: int
    grid_code: str
    name: str
    kind: str
    uscc: str
    address: str
    building_id: int | None
    contact_name: str
    contact_phone: str
    staff_count: int | None
    last_verified_on: date | None

    @staticmethod
    def resolve_contact_phone(obj: Any) -> str:
        return mask_phone(obj.contact_phone)


class OrganizationIn(Schema):
    name: str
    kind: str = "enterprise"
    uscc: str = ""
    address: str
    building_id: int | None = None
    lat: float | None = None
    lng: float | None = None
    contact_name: str = ""
    contact_phone: str = ""
    staff_count: int | None = None


class OrganizationPatch(Schema):
    name: str | None = None
    kind: str | None = None
    uscc: str | None = None
    address: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    staff_count: int | None = None


class UnmaskIn(Schema):
    reason: str


class UnmaskOut(Schema):
    id_number: str
    phone: str
    address: str


class MoveOutIn(Schema):
    moved_on: date
    to_grid_code: str = ""
    to_dwelling_id: int | None = None
    destination: str = ""
    note: str = ""


class MoveInIn(PersonIn):
    moved_on: date


class DeceasedIn(Schema):
    died_on: date
