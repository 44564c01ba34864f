"""Categories and the responsibility list are data the system administrator maintains.
Cases themselves change only through the workflow, so the admin shows them read-only."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from civicgrid.cases.models import Case, Category, ResponsibilityRule


class RuleInline(admin.TabularInline):
    model = ResponsibilityRule
    extra = 0
    fields = (
        "region_prefix", "urgent", "level", "department", "accept_limit", "accept_unit",
        "dispatch_limit", "dispatch_unit", "handle_limit", "handle_unit", "verify_limit",
        "verify_unit", "retired_on",
    )  # fmt: skip
    can_delete = False


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "parent", "kind", "retired_on")
    list_filter = ("kind", ("parent", admin.RelatedOnlyFieldListFilter), "retired_on")
    search_fields = ("code", "name", "keywords")
    ordering = ("code",)
    inlines = [RuleInline]


@admin.register(ResponsibilityRule)
class ResponsibilityRuleAdmin(admin.ModelAdmin):
    list_display = (
        "category", "region_prefix", "urgent", "level", "department", "accept_limit",
        "accept_unit", "dispatch_limit", "dispatch_unit", "handle_limit", "handle_unit",
        "verify_limit", "verify_unit", "retired_on",
    )  # fmt: skip
    list_filter = ("level", "urgent", "category__parent", "department")
    search_fields = ("category__code", "category__name", "region_prefix")
    list_select_related = ("category", "category__parent", "department")
    autocomplete_fields = ("category",)


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("number", "category", "status", "grid_code", "department", "reported_at")
    list_filter = ("status", "channel", "supervised")
    search_fields = ("number",)
    list_select_related = ("category", "department")
    # The system administrator runs the system, not the cases: who reported is personal data
    # they never see (三权分立, docs/architecture.md "Three administrators").
    exclude = ("reporter", "reporter_name", "reporter_phone", "reporter_phone_index")
    show_full_result_count = False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in Case._meta.fields if f.name not in self.exclude]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
