from typing import Any

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.module_loading import import_string

from civicgrid.geo.selectors import jurisdiction_summary


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


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "dashboard/home.html",
        {"summary": jurisdiction_summary(request.user), "widgets": _widgets(request)},
    )
