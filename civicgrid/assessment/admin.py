"""Indicators, weights and grade bands are data the system administrator maintains (rules as
data, docs/architecture.md "Assessment"). Facts and results are written by the rollup and
the snapshot only: the admin shows them read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from civicgrid.assessment.models import GradeBand, Indicator, IndicatorWeight, PeriodResult


class WeightInline(admin.TabularInline):
    model = IndicatorWeight
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "direction", "active", "order")
    list_editable = ("active", "order")
    search_fields = ("name", "code")
    inlines = [WeightInline]


@admin.register(IndicatorWeight)
class IndicatorWeightAdmin(admin.ModelAdmin):
    list_display = ("level", "indicator", "weight")
    list_editable = ("weight",)
    list_filter = ("level",)


@admin.register(GradeBand)
class GradeBandAdmin(admin.ModelAdmin):
    list_display = ("grade", "min_score")
    list_editable = ("min_score",)


@admin.register(PeriodResult)
class PeriodResultAdmin(admin.ModelAdmin):
    list_display = (
        "period_kind", "period_start", "level", "subject_label", "indicator", "value", "score",
        "grade", "rank", "frozen",
    )  # fmt: skip
    list_filter = ("period_kind", "level", "frozen")
    date_hierarchy = "period_start"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
