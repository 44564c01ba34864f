"""Workbench panels contributed by core (see ``dashboard.views._widgets``).

``core`` knows no roles (it sits below ``accounts``, docs/architecture.md "Layout"), so which
roles see the calendar warning and which may open the calendar table is registered by the app
that defines the roles (``accounts.apps.AccountsConfig.ready``). Until something registers, only
superusers see the panel.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from civicgrid.core.worktime import calendar_gap_warning

_calendar_roles: dict[str, frozenset[str]] = {"viewers": frozenset(), "editors": frozenset()}


def register_calendar_roles(*, viewers: Iterable[str], editors: Iterable[str]) -> None:
    """Who is warned that next year's work calendar is missing, and who may fix it."""
    _calendar_roles["viewers"] = frozenset(str(r) for r in viewers)
    _calendar_roles["editors"] = frozenset(str(r) for r in editors)


def calendar_warning(request: HttpRequest) -> dict[str, Any] | None:
    user: Any = request.user
    role = getattr(user, "role", None)
    if not (user.is_superuser or role in _calendar_roles["viewers"]):
        return None
    warning = calendar_gap_warning()
    if warning is None:
        return None
    can_edit = user.is_superuser or role in _calendar_roles["editors"]
    return {
        "template": "core/widget_calendar_warning.html",
        "data": {
            "warning": warning,
            "admin_url": reverse("admin:core_workcalendarday_changelist") if can_edit else "",
        },
    }
