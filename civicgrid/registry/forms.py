"""Forms of the registry pages. They only collect and type input; the services validate the
ledger rules, and their Chinese errors are put back on the form by the views.

Personal data is never put into a form as initial value: an edit form would otherwise send the
plaintext ID number or phone to the browser. Left blank, those inputs mean "unchanged"."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.models import fields_for_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicgrid.core import inputs
from civicgrid.geo.models import Grid
from civicgrid.registry.masking import PII_FIELDS, masked_pii
from civicgrid.registry.models import (
    Building,
    Dwelling,
    Household,
    Organization,
    Person,
    TagKind,
    validate_event_date,
)

BUILDING_FIELDS = [
    "address",
    "name",
    "lat",
    "lng",
    "building_type",
    "floors",
    "units",
    "property_manager",
]
DWELLING_FIELDS = [
    "unit",
    "floor",
    "room",
    "use",
    "occupancy",
    "area_m2",
    "lessor_name",
    "lessor_phone",
    "rental_type",
    "hazard_level",
]
HOUSEHOLD_FIELDS = ["number", "kind"]
PERSON_FIELDS = [
    "name",
    "former_name",
    "document_type",
    "id_number",
    "phone",
    "address",
    "ethnicity",
    "hukou_place",
    "residency",
    "relation",
    "presence",
    "workplace",
    "occupation",
    "education",
    "marital_status",
    "political_status",
    "moved_in_on",
    "float_reason",
    "arrived_on",
    "expected_stay_months",
    "lodging_type",
]
FLOATING_FIELDS = ["float_reason", "arrived_on", "expected_stay_months", "lodging_type"]
ORGANIZATION_FIELDS = [
    "name",
    "kind",
    "uscc",
    "address",
    "lat",
    "lng",
    "contact_name",
    "contact_phone",
    "staff_count",
]


class LedgerForm(forms.Form):
    """A plain form whose fields come from the model (labels, choices, lengths), so the
    model's own validation runs once, in the service."""

    model: type[Any]
    field_names: list[str]
    secret_fields: frozenset[str] = frozenset()

    def __init__(self, *args: Any, instance: Any = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(instance, name)
                for name in self.field_names
                if name not in self.secret_fields
            }
        super().__init__(*args, **kwargs)
        # Only whether this edits a row: the row itself stays out of the form, which templates
        # can reach (its encrypted fields are decrypted on load; docs/architecture.md rule 7).
        self.editing = instance is not None
        self.fields.update(fields_for_model(self.model, fields=self.field_names))
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.DateInput):
                field.widget = inputs.DateInput()
            if name in self.secret_fields and instance is not None:
                field.widget.attrs["placeholder"] = _("留空表示不修改")
                field.widget.attrs["autocomplete"] = "off"

    def changes(self) -> dict[str, Any]:
        """Cleaned values, without secret inputs left blank on an edit."""
        data = dict(self.cleaned_data)
        if self.editing:
            for name in self.secret_fields:
                if not data.get(name):
                    data.pop(name, None)
        return data


class BuildingForm(LedgerForm):
    model = Building
    field_names = BUILDING_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("lat", "lng"):
            self.fields[name].widget.attrs.update({"step": "any", "inputmode": "decimal"})


class DwellingForm(LedgerForm):
    model = Dwelling
    field_names = DWELLING_FIELDS
    secret_fields = frozenset({"lessor_phone"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lessor_phone"].widget = forms.TextInput(attrs={"inputmode": "tel"})


class HouseholdForm(LedgerForm):
    model = Household
    field_names = HOUSEHOLD_FIELDS


class PersonForm(LedgerForm):
    model = Person
    field_names = PERSON_FIELDS
    secret_fields = PII_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        instance = kwargs.get("instance")
        super().__init__(*args, **kwargs)
        self.fields["id_number"].widget = forms.TextInput(attrs={"autocomplete": "off"})
        self.fields["phone"].widget = forms.TextInput(attrs={"inputmode": "tel"})
        self.fields["address"].widget = forms.TextInput()
        for name in FLOATING_FIELDS:
            self.fields[name].widget.attrs["data-floating"] = "1"
        if instance is not None:
            masked = masked_pii(instance)
            for name in PII_FIELDS:
                self.fields[name].widget.attrs["placeholder"] = (
                    f"{masked[name]}({_('留空表示不修改')})" if masked[name] else ""
                )


class OrganizationForm(LedgerForm):
    model = Organization
    field_names = ORGANIZATION_FIELDS
    secret_fields = frozenset({"contact_phone"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact_phone"].widget = forms.TextInput(attrs={"inputmode": "tel"})
        self.fields["building"] = forms.ModelChoiceField(
            label=_("所在楼栋"), queryset=Building.objects.none(), required=False
        )

    def limit_buildings(self, queryset: Any) -> None:
        self.fields["building"].queryset = queryset  # type: ignore[attr-defined]


class UnmaskForm(forms.Form):
    reason = forms.CharField(
        label=_("查看事由"),
        min_length=4,
        max_length=200,
        error_messages={
            "required": _("请填写查看事由"),
            "min_length": _("请填写查看事由(至少4个字)"),
        },
        widget=forms.TextInput(attrs={"placeholder": _("例如:入户核实身份")}),
    )


def _today() -> Any:
    return timezone.localdate()


class MoveOutForm(forms.Form):
    moved_on = forms.DateField(
        label=_("迁出日期"),
        initial=_today,
        widget=inputs.DateInput(),
        validators=[validate_event_date],
    )
    to_grid = forms.ModelChoiceField(
        label=_("迁往本市网格"),
        queryset=Grid.objects.current().select_related("community"),
        required=False,
        help_text=_("迁往本平台其他网格时选择,对方社区将接收该人员;否则填写去向"),
    )
    destination = forms.CharField(label=_("去向"), max_length=200, required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("to_grid") and not data.get("destination"):
            raise forms.ValidationError(_("请选择迁往的网格或填写去向"))
        return data


class DeceasedForm(forms.Form):
    died_on = forms.DateField(
        label=_("死亡日期"),
        initial=_today,
        widget=inputs.DateInput(),
        validators=[validate_event_date],
    )


class MoveInForm(PersonForm):
    """A person arriving at a dwelling: the ID number finds an existing record anywhere."""

    def __init__(self, *args: Any, households: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["moved_in_on"].required = True
        self.fields["moved_in_on"].initial = _today
        self.fields["household"] = forms.ModelChoiceField(
            label=_("加入住户"),
            queryset=households if households is not None else Household.objects.none(),
            required=False,
        )


class TagForm(forms.Form):
    kind = forms.ModelChoiceField(label=_("类别"), queryset=TagKind.objects.none())
    started_on = forms.DateField(label=_("起始日期"), initial=_today, widget=inputs.DateInput())
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args: Any, kinds: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = kinds  # type: ignore[attr-defined]
        self.kind_list = list(kinds)

    def attributes(self) -> dict[str, Any]:
        """Attribute inputs are named ``attr_<key>``; the service checks them by schema."""
        return {
            key[5:]: value
            for key, value in self.data.items()
            if key.startswith("attr_") and value != ""
        }
