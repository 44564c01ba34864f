"""Joint meetings are convened and decided on their pages (which check jurisdiction and apply
decisions through the case workflow); the admin site lets the system administrator look them
up, never change them around those checks."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from civicgrid.participation.joint.models import AgendaItem, Invitation, JointMeeting


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class InvitationInline(ReadOnlyInline):
    model = Invitation
    fields = ("department",)


class AgendaItemInline(ReadOnlyInline):
    model = AgendaItem
    fields = ("case", "lead_department", "due_days", "decided_at", "applied_at")


@admin.register(JointMeeting)
class JointMeetingAdmin(admin.ModelAdmin):
    list_display = ("title", "region_code", "starts_at", "status", "convener")
    list_filter = ("status",)
    search_fields = ("title", "region_code")
    inlines = [InvitationInline, AgendaItemInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
