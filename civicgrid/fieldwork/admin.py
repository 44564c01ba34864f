"""The patrol standard is data the system administrator maintains (rules as data); patrols,
tracks and verdicts are written by the services and the daily command only."""

from django.contrib import admin

from civicgrid.fieldwork.models import PatrolStandard, VisitRule


@admin.register(PatrolStandard)
class PatrolStandardAdmin(admin.ModelAdmin):
    list_display = (
        "__str__", "patrols_per_day", "min_minutes", "min_inside_share", "min_coverage",
        "morning_start", "morning_end", "afternoon_start", "afternoon_end", "retention_days",
    )  # fmt: skip
    search_fields = ("region_prefix",)
    ordering = ("region_prefix",)
    fieldsets = (
        (None, {"fields": ("region_prefix",)}),
        (
            "一日双巡",
            {
                "fields": (
                    "patrols_per_day",
                    "min_minutes",
                    "min_inside_share",
                    "min_coverage",
                    "coverage_radius_m",
                    "morning_start",
                    "morning_end",
                    "afternoon_start",
                    "afternoon_end",
                )
            },
        ),
        (
            "电子监察",
            {
                "fields": (
                    "max_speed_kmh",
                    "stationary_minutes",
                    "far_outside_m",
                    "min_points",
                    "max_accuracy_m",
                )
            },
        ),
        ("个人信息保护", {"fields": ("retention_days",)}),
    )


@admin.register(VisitRule)
class VisitRuleAdmin(admin.ModelAdmin):
    """How often each care or special group, and each household type, is visited is data the
    street edits (issue 9 part 4); a rule is retired (``retired_on``) rather than deleted so
    past due lists stay explainable."""

    list_display = (
        "tag_kind", "household_type", "min_level", "interval_days", "note", "retired_on",
    )  # fmt: skip
    list_filter = ("tag_kind", "household_type", "retired_on")
    search_fields = ("tag_kind__name", "note")
    ordering = ("tag_kind", "household_type", "min_level")
