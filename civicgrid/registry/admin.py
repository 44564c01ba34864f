from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from civicgrid.registry.models import (
    Building,
    Dwelling,
    Household,
    LedgerPolicy,
    Organization,
    Person,
    RequiredField,
    TagKind,
)


@admin.register(TagKind)
class TagKindAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "group", "sensitive", "order", "retired_on"]
    list_filter = ["group", "sensitive"]
    search_fields = ["name", "code"]


@admin.register(RequiredField)
class RequiredFieldAdmin(admin.ModelAdmin):
    list_display = ["label", "field_name", "active"]
    list_editable = ["active"]


@admin.register(LedgerPolicy)
class LedgerPolicyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "stale_after_days", "households_min", "households_max", "people_max"]

    def has_add_permission(self, request: object) -> bool:
        return not LedgerPolicy.objects.exists()


class LedgerAdmin(SimpleHistoryAdmin):
    """Ledger rows hold personal data: the admin lists codes and names only and never
    deletes (rows are retired with a date)."""

    list_filter = ["retired_on"]
    readonly_fields = ["grid_code"]


@admin.register(Building)
class BuildingAdmin(LedgerAdmin):
    list_display = ["address", "grid_code", "building_type", "floors", "retired_on"]
    search_fields = ["address", "grid_code"]
    raw_id_fields = ["grid", "verified_by"]


@admin.register(Dwelling)
class DwellingAdmin(LedgerAdmin):
    list_display = ["__str__", "building", "grid_code", "occupancy", "retired_on"]
    raw_id_fields = ["grid", "building", "verified_by"]
    exclude = ["lessor_phone"]


@admin.register(Household)
class HouseholdAdmin(LedgerAdmin):
    list_display = ["__str__", "grid_code", "kind", "retired_on"]
    raw_id_fields = ["grid", "dwelling", "head", "verified_by"]


@admin.register(Person)
class PersonAdmin(LedgerAdmin):
    list_display = ["name", "grid_code", "residency", "status"]
    search_fields = ["name", "name_initials", "grid_code"]
    raw_id_fields = ["grid", "household", "dwelling", "merged_into", "verified_by"]
    # Personal data is viewed and edited in the registry pages, masked and audited.
    exclude = ["id_number", "phone", "address"]


@admin.register(Organization)
class OrganizationAdmin(LedgerAdmin):
    list_display = ["name", "uscc", "kind", "grid_code", "retired_on"]
    search_fields = ["name", "uscc"]
    raw_id_fields = ["grid", "building", "verified_by"]
    exclude = ["contact_phone"]
