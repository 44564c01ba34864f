"""API shapes of the ledgers. Responses are built from ``registry.presenters`` (masked
personal data); the plaintext needs ``POST /persons/{id}/unmask`` with a reason.

Input is checked here, before any service runs, so bad input is a 422 with a Chinese message
and never a database error (docs/architecture.md "One way in"):

- each input field that maps to a model field runs that field's own validators (lengths,
  integer ranges, ``validate_event_date``): the same rules the forms get through
  ``full_clean`` in the services, written once on the model;
- ``null`` is refused for every field whose column cannot be empty (PATCH: leave the field out
  to keep it);
- IDs are positive 64-bit integers, text never carries NUL characters.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, ClassVar, Generic, TypeVar, Union, get_args, get_origin

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import AfterValidator, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from civicgrid.core.schemas import errors
from civicgrid.registry.models import (
    Building,
    Dwelling,
    Household,
    Organization,
    Person,
    validate_event_date,
)

T = TypeVar("T")

# The largest primary key any supported database stores (signed 64-bit).
MAX_ID = 2**63 - 1


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise PydanticCustomError("nul_character", _("不能包含空字符(\\x00)"))
    return value


def _drop_default(schema: dict[str, Any]) -> None:
    # PATCH fields default to "absent"; the OpenAPI document should not claim null is a value.
    schema.pop("default", None)


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Text = Annotated[str, Field(max_length=2000)]
# A filter in the query string: PostgreSQL refuses NUL characters in any text it compares.
QueryText = Annotated[str, Field(max_length=200), AfterValidator(_no_nul)]


def absent(**constraints: Any) -> Any:
    """Default of a PATCH field: left out means unchanged."""
    return Field(default=None, json_schema_extra=_drop_default, **constraints)


def _allows_none(annotation: Any) -> bool:
    if annotation is None or annotation is type(None):
        return True
    if get_origin(annotation) is Annotated:
        return _allows_none(get_args(annotation)[0])
    args = get_args(annotation)
    return get_origin(annotation) in (Union, type(int | None)) and type(None) in args


# What every registry operation may answer besides success: not signed in, role refused,
# not found or out of jurisdiction, invalid input.
ERRORS = errors(401, 403, 404, 422)


class LedgerIn(Schema):
    """Input checked against the model it writes (``ledger_model``): see the module doc."""

    ledger_model: ClassVar[type[models.Model] | None] = None

    @field_validator("*", mode="before")
    @classmethod
    def _refuse_null(cls, value: Any, info: ValidationInfo) -> Any:
        name = info.field_name or ""
        if value is None and not _allows_none(cls.model_fields[name].annotation):
            raise PydanticCustomError(
                "null_not_allowed", _("该字段不能为空值(null);不修改请省略该字段")
            )
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _model_rules(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, str):
            _no_nul(value)
        model = cls.ledger_model
        if model is None or value is None:
            return value
        try:
            field = model._meta.get_field(info.field_name or "")
        except FieldDoesNotExist:
            return value
        if not isinstance(field, models.Field) or field.is_relation:
            return value
        try:
            field.run_validators(value)
        except DjangoValidationError as exc:
            raise PydanticCustomError(
                "invalid_value", "{message}", {"message": "".join(exc.messages)}
            ) from None
        return value


class PageOut(Schema, Generic[T]):
    count: int
    page: int
    pages: int
    # Past PAGE_COUNT_CAP the count stops at the cap; follow ``next`` (?after=…) from there.
    capped: bool = False
    next: str = ""
    items: list[T]


class BuildingPointsOut(Schema):
    """Buildings as GeoJSON points for the offline base map (name or address only)."""

    type: str = "FeatureCollection"
    features: list[dict[str, Any]]
    truncated: bool


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


class BuildingIn(LedgerIn):
    ledger_model = Building

    address: Text
    name: Text = ""
    lat: float = Field(ge=-90, le=90, allow_inf_nan=False)
    lng: float = Field(ge=-180, le=180, allow_inf_nan=False)
    floors: int = 1
    units: int = 1
    building_type: Text = "residential"
    property_manager: Text = ""


class BuildingPatch(LedgerIn):
    ledger_model = Building

    address: Text = absent()
    name: Text = absent()
    lat: float = absent(ge=-90, le=90, allow_inf_nan=False)
    lng: float = absent(ge=-180, le=180, allow_inf_nan=False)
    floors: int = absent()
    units: int = absent()
    building_type: Text = absent()
    property_manager: Text = absent()


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


class DwellingIn(LedgerIn):
    ledger_model = Dwelling

    building_id: Id
    unit: Text = ""
    floor: int | None = None
    room: Text
    use: Text = "residential"
    occupancy: Text = "unknown"
    lessor_name: Text = ""
    lessor_phone: Text = ""
    rental_type: Text = ""
    hazard_level: Text = ""


class DwellingPatch(LedgerIn):
    ledger_model = Dwelling

    unit: Text = absent()
    floor: int | None = None
    room: Text = absent()
    use: Text = absent()
    occupancy: Text = absent()
    lessor_name: Text = absent()
    lessor_phone: Text = absent()
    rental_type: Text = absent()
    hazard_level: Text = absent()


class HouseholdOut(Schema):
    id: int
    dwelling_id: int
    grid_code: str
    number: str
    kind: str
    head_id: int | None
    last_verified_on: date | None


class HouseholdIn(LedgerIn):
    ledger_model = Household

    dwelling_id: Id
    number: Text = ""
    kind: Text = "registered"


class HouseholdPatch(LedgerIn):
    ledger_model = Household

    number: Text = absent()
    kind: Text = absent()
    # The new head, a member of the household; the former head stays a member.
    head_id: Id = absent()


class HeadIn(LedgerIn):
    head_id: Id


class PersonOut(Schema):
    """Built from ``presenters.present_person``: ID number, phone and address masked."""

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


class PersonIn(LedgerIn):
    ledger_model = Person

    name: Text
    former_name: Text = ""
    document_type: Text = "ric"
    id_number: Text = ""
    ethnicity: Text = ""
    phone: Text = ""
    address: Text = ""
    hukou_place: Text = ""
    residency: Text = "registered"
    household_id: Id | None = None
    relation: Text = ""
    presence: Text = "consistent"
    dwelling_id: Id | None = None
    grid_code: Text = ""
    workplace: Text = ""
    occupation: Text = ""
    education: Text = ""
    marital_status: Text = ""
    political_status: Text = ""
    moved_in_on: date | None = None
    float_reason: Text = ""
    arrived_on: date | None = None
    expected_stay_months: int | None = None
    lodging_type: Text = ""


class PersonPatch(LedgerIn):
    ledger_model = Person

    name: Text = absent()
    former_name: Text = absent()
    id_number: Text = absent()
    ethnicity: Text = absent()
    phone: Text = absent()
    address: Text = absent()
    hukou_place: Text = absent()
    residency: Text = absent()
    relation: Text = absent()
    presence: Text = absent()
    workplace: Text = absent()
    occupation: Text = absent()
    education: Text = absent()
    marital_status: Text = absent()
    political_status: Text = absent()
    float_reason: Text = absent()
    arrived_on: date | None = None
    expected_stay_months: int | None = None
    lodging_type: Text = absent()


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


class OrganizationIn(LedgerIn):
    ledger_model = Organization

    name: Text
    kind: Text = "enterprise"
    uscc: Text = ""
    address: Text
    building_id: Id | None = None
    lat: float | None = Field(default=None, ge=-90, le=90, allow_inf_nan=False)
    lng: float | None = Field(default=None, ge=-180, le=180, allow_inf_nan=False)
    contact_name: Text = ""
    contact_phone: Text = ""
    staff_count: int | None = None


class OrganizationPatch(LedgerIn):
    ledger_model = Organization

    name: Text = absent()
    kind: Text = absent()
    uscc: Text = absent()
    address: Text = absent()
    contact_name: Text = absent()
    contact_phone: Text = absent()
    staff_count: int | None = None


class UnmaskIn(LedgerIn):
    reason: Annotated[str, Field(max_length=200)]


class UnmaskOut(Schema):
    id_number: str
    phone: str
    address: str


class MoveOutIn(LedgerIn):
    ledger_model = Person

    moved_on: date
    to_grid_code: Text = ""
    to_dwelling_id: Id | None = None
    destination: Text = ""
    note: Text = ""

    @field_validator("moved_on")
    @classmethod
    def _event_date(cls, value: date) -> date:
        return _event_date(value)


class MoveInIn(PersonIn):
    moved_on: date

    @field_validator("moved_on")
    @classmethod
    def _event_date(cls, value: date) -> date:
        return _event_date(value)


class DeceasedIn(LedgerIn):
    ledger_model = Person

    died_on: date


def _event_date(value: date) -> date:
    """``models.validate_event_date`` for inputs that are not a Person column of that name."""
    try:
        validate_event_date(value)
    except DjangoValidationError as exc:
        raise PydanticCustomError(
            "invalid_date", "{message}", {"message": "".join(exc.messages)}
        ) from None
    return value
