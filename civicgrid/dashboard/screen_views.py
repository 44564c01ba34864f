"""The command-centre screen: the page (wall or desk layout) and its JSON data.

Both declare the same policy (docs/architecture.md "One way in"): the command centre, the
community leaders and the system administrator, each reading their own jurisdiction
(``scope=LIST``: every figure is filtered by ``visible_to``/``facts_for``). The page holds no
figures itself; its script asks ``screen_data`` every 60 seconds.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from civicgrid.core.policy import LIST, policy
from civicgrid.core.replica import reads_replica
from civicgrid.dashboard.screen import (
    COMMUNITY_CODE_LENGTH,
    PANELS,
    SCREEN_ROLES,
    jurisdiction_label,
    screen_data,
)
from civicgrid.geo.models import Grid

MODES = ("wall", "desk")
# Above this many grids the wall's map draws communities and opens a community's grids on a
# click: 25,000 grid outlines are 14 MB and took Chromium a minute and a half to paint
# (docs/scaling.md "City-scale run"). A street (a few hundred grids) still sees every grid.
COMMUNITY_MAP_ABOVE = 2000


def _by_community(user: Any) -> bool:
    # Counted up to the threshold only: the shell stays as cheap for a city as for a street.
    grids = Grid.objects.visible_to(user).current()[: COMMUNITY_MAP_ABOVE + 1].count()
    return grids > COMMUNITY_MAP_ABOVE


@policy(roles=SCREEN_ROLES, scope=LIST)
@require_GET
def screen(request: HttpRequest) -> HttpResponse:
    mode = request.GET.get("mode", "wall")
    if mode not in MODES:
        mode = "wall"
    return render(
        request,
        "dashboard/screen.html",
        {
            "mode": mode,
            "jurisdiction": jurisdiction_label(request.user),
            "center": settings.MAP_CENTER,
            "time_zone": settings.TIME_ZONE,
            "refresh_seconds": 60,
            "by_community": _by_community(request.user),
        },
    )


@policy(roles=SCREEN_ROLES, scope=LIST)
@reads_replica  # figures a minute old by design (docs/architecture.md "Read replica")
@require_GET
def screen_json(request: HttpRequest) -> HttpResponse:
    asked = [p for p in request.GET.get("panels", "").split(",") if p]
    unknown = [p for p in asked if p not in PANELS]
    if unknown:
        return JsonResponse(
            {"detail": _("未知的面板:%(names)s") % {"names": "、".join(unknown[:5])}}, status=400
        )
    user: Any = request.user
    # A wall drawn by community gets the grid figures of the community it has open (map_grids,
    # a community code of its jurisdiction), none otherwise.
    grids_under = None
    if "map" in (asked or PANELS) and _by_community(user):
        grids_under = request.GET.get("map_grids", "")
        if grids_under and (
            len(grids_under) != COMMUNITY_CODE_LENGTH
            or not grids_under.isdigit()
            or not user.in_scope(grids_under, reads="cases")
        ):
            return JsonResponse({"detail": _("该社区不在您的管辖范围内")}, status=404)
    response = JsonResponse(screen_data(user, asked or None, grids_under=grids_under))
    # Figures of a jurisdiction: never kept by a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response
