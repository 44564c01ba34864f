from typing import Any

from django.apps import apps
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string

from civicgrid.accounts.choices import Role
from civicgrid.core.policy import LIST, policy
from civicgrid.geo.selectors import jurisdiction_summary

# Residents have no workbench: they come to report a problem or follow their requests, so
# their home is the first of these pages that is installed.
RESIDENT_HOME = ("cases:mine", "cases:submit")


def _widgets(request: HttpRequest) -> list[dict[str, Any]]:
    """Workbench panels contributed by apps: ``AppConfig.dashboard_widgets`` lists dotted paths
    of functions ``(request) -> {"template": ..., "data": ...} | None``."""
    panels = []
    for config in apps.get_app_configs():
        for path in getattr(config, "dashboard_widgets", []):
            panel = import_string(path)(request)
            if panel:
                panels.append(panel)
    return panels


def _resident_home() -> str | None:
    for name in RESIDENT_HOME:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


# Every signed-in role has a home (residents are sent on to their requests); the counters and
# panels are computed from the user's own jurisdiction (docs/architecture.md "One way in").
@policy(scope=LIST)
def home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.role == Role.RESIDENT and not user.is_superuser:
        target = _resident_home()
        if target:
            return redirect(target)
    # Department handlers and the security administrator work without a jurisdiction: region
    # counters would only show zeros, so they see their panels alone.
    has_area = bool(user.scope_codes) or user.sees_everything
    return render(
        request,
        "dashboard/home.html",
        {
            "summary": jurisdiction_summary(user) if has_area else None,
            "widgets": _widgets(request),
        },
    )
