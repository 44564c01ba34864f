"""Workbench panels contributed by core (see ``dashboard.views._widgets``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from civicgrid.accounts.choices import Role
from civicgrid.core.worktime import calendar_gap_warning

_CALENDAR_ROLES = {Role.SYSADMIN, Role.COMMAND}


def calendar_warning(request: HttpRequest) -> dict[str, Any] | None:
    user: Any = request.user
    if not (user.is_superuser or user.role in _CALENDAR_ROLES):
        return None
    warning = calendar_gap_warning()
    if warning is None:
        return None
    can_edit = user.is_superuser or user.role == Role.SYSADMIN
    return {
        "template": "core/widget_calendar_warning.html",
        "data": {
            "warning": warning,
            "admin_url": reverse("admin:core_workcalendarday_changelist") if can_edit else "",
        },
    }
