"""Notices and cards are written through the staff pages (which check jurisdiction and review);
the admin site lets the system administrator look them up and see the stored disclosures, not
bypass the review."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from civicgrid.participation.models import Disclosure, GridWorkerCard, Notice, NoticeTarget


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class NoticeTargetInline(admin.TabularInline):
    model = NoticeTarget
    extra = 0
    can_delete = False
    readonly_fields = ("code", "name")


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "status", "scope_code", "starts_on", "ends_on", "read_count")
    list_filter = ("status", "kind", "pinned")
    search_fields = ("title", "scope_code")
    inlines = [NoticeTargetInline]


@admin.register(GridWorkerCard)
class GridWorkerCardAdmin(ReadOnlyAdmin):
    list_display = ("user", "display_name", "public_phone", "service_hours", "published")
    list_filter = ("published",)
    search_fields = ("user__username", "user__full_name", "display_name")


@admin.register(Disclosure)
class DisclosureAdmin(ReadOnlyAdmin):
    list_display = ("region_code", "month", "source", "computed_at")
    search_fields = ("region_code",)
