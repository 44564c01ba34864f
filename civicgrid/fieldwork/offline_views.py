"""The grid worker's installable phone app (docs/architecture.md "Offline field app").

- ``/fieldwork/sw.js``: the service worker. It precaches the field pages and their static files,
  answers page loads network-first (the cached copy when offline) and static files cache-first
  under a cache name versioned by a hash of the precached files, so a deploy that changes any
  of them installs a new worker and drops the old caches. It never touches POSTs: writes made
  offline wait in the page's outbox (static/js/fieldwork_outbox.js) instead.
- ``/fieldwork/manifest.webmanifest``: name, colours and icons for "add to home screen".
- ``/fieldwork/``: the worker's home screen (big tiles); other roles go on to the on-duty map.
- ``/fieldwork/report/``: 拍照上报, a page that works offline: the categories are in the page and
  the report goes through the outbox to ``POST /api/v1/fieldwork/reports``.
- ``/fieldwork/my-grid.geojson``: the outline of the worker's own grid(s), drawn under the
  patrol and report pages' map. The service worker precaches it with the pages and answers it
  network-first (each good answer replaces the kept copy), so the map shows the grid in a
  basement, and shows the new one after a reassignment as soon as the phone is online again.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from civicgrid.accounts.choices import TRACK_READERS, Role
from civicgrid.cases.forms import CategoryChoiceField
from civicgrid.core.policy import LIST, NONE, policy
from civicgrid.geo.models import Grid

WORKERS = frozenset({Role.GRID_WORKER})
SW_SOURCE = "js/fieldwork_sw.js"
# Static files of the field pages: the shell the phone needs with no network.
SHELL_STATIC = [
    "css/civicgrid.css",
    "css/fieldwork.css",
    "css/cases.css",
    "js/civicgrid.js",
    "js/civic_basemap.js",
    "js/fieldwork_outbox.js",
    "js/fieldwork_home.js",
    "js/fieldwork_report.js",
    "js/fieldwork_patrol.js",
    "js/fieldwork_gridmap.js",
    "vendor/htmx/htmx.min.js",
    "vendor/leaflet/leaflet.js",
    "vendor/leaflet/leaflet.css",
    "icons/civicgrid-192.png",
    "icons/civicgrid-512.png",
    "icons/civicgrid-maskable-512.png",
]
# Field pages by URL name (those that exist: the task list arrives with grid tasks).
SHELL_PAGES = [
    "fieldwork:home",
    "fieldwork:patrol",
    "fieldwork:quick_report",
    "fieldwork:visits",
    "fieldwork:tasks",
]
# The worker's own data the field pages need offline (URL names), kept like the pages: in the
# cache that signing out empties.
SHELL_DATA = ["fieldwork:my_grid"]
THEME_COLOUR = "#c0392b"  # --brand in static/css/civicgrid.css
BACKGROUND_COLOUR = "#f5f7fa"  # --bg


def _read_static(path: str) -> bytes | None:
    """A static file's bytes from the app directories (development) or the collected storage."""
    found = finders.find(path)
    if isinstance(found, list):
        found = found[0] if found else None
    try:
        if found:
            with open(found, "rb") as handle:
                return handle.read()
        with staticfiles_storage.open(path) as handle:
            return bytes(handle.read())
    except OSError:
        return None


def _pages(names: list[str] = SHELL_PAGES) -> list[str]:
    out = []
    for name in names:
        try:
            out.append(reverse(name))
        except NoReverseMatch:
            continue
    return out


def shell() -> dict[str, Any]:
    """What the worker precaches and the version its caches are named by: a hash of every
    precached static file and of the worker's own code, so any change on deploy renames them."""
    digest = hashlib.sha256()
    assets = []
    for path in [*SHELL_STATIC, SW_SOURCE]:
        content = _read_static(path)
        if content is None:
            continue
        digest.update(path.encode() + b"\0" + content)
        if path != SW_SOURCE:
            assets.append(static(path))
    return {
        "version": digest.hexdigest()[:12],
        "assets": assets,
        "pages": _pages(),
        "data": _pages(SHELL_DATA),
        "home": reverse("fieldwork:home"),
        "login": reverse("accounts:login"),
        "static": static(""),
    }


@require_GET
@never_cache
@policy(public=True)
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker for /fieldwork/ (public: browsers fetch it without asking; it holds
    no data, only the list of shell files)."""
    config = json.dumps(shell(), ensure_ascii=False)
    source = (_read_static(SW_SOURCE) or b"").decode()
    body = f"const CIVIC_SHELL = {config};\n{source}"
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = reverse("fieldwork:home")
    return response


@require_GET
@policy(public=True)
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest: install 社区E通 on the phone's home screen, opening /fieldwork/."""
    home = reverse("fieldwork:home")
    data = {
        "name": _("社区E通 · CivicGrid 网格员"),
        "short_name": _("社区E通"),
        "description": _("网格员巡查、拍照上报、入户走访,离线也能用"),
        "lang": "zh-Hans",
        "dir": "ltr",
        "id": home,
        "start_url": home,
        "scope": home,
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": static("icons/civicgrid-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("icons/civicgrid-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("icons/civicgrid-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/manifest+json"
    )
    response["Cache-Control"] = "max-age=3600"
    return response


@require_GET
@policy(roles=TRACK_READERS, scope=NONE)
def home(request: HttpRequest) -> HttpResponse:
    """The grid worker's home screen: 拍照上报, 巡查, 入户走访, 任务, 待同步 as big tiles (the
    counts of waiting items are the phone's own, filled in by the outbox script). Supervisors
    have no field home: they go on to the on-duty map, as before."""
    user: Any = request.user
    if user.role != Role.GRID_WORKER:
        return redirect("fieldwork:onduty")
    try:
        tasks_url = reverse("fieldwork:tasks")
    except NoReverseMatch:
        tasks_url = ""
    return render(request, "fieldwork/home.html", {"tasks_url": tasks_url})


class QuickReportForm(forms.Form):
    """The fields of 拍照上报. The page never posts this form to itself: the outbox sends its
    values to the report API, which validates them again."""

    category = CategoryChoiceField()
    description = forms.CharField(
        label=gettext_lazy("问题描述"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    urgent = forms.BooleanField(label=gettext_lazy("紧急"), required=False)
    grid = forms.ChoiceField(label=gettext_lazy("所在网格"), required=False)
    address = forms.CharField(label=gettext_lazy("地点"), max_length=200, required=False)

    def __init__(self, *args: Any, grids: list[Grid], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = self.fields["category"].grouped_choices()  # type: ignore[attr-defined]
        self.fields["grid"].choices = [("", _("(按定位)"))] + [  # type: ignore[attr-defined]
            (g.name, g.name) for g in grids
        ]


@require_GET
@policy(roles=WORKERS, scope=NONE)
def quick_report(request: HttpRequest) -> HttpResponse:
    """拍照上报: photo, category, words, place; sent through the outbox (works offline)."""
    user: Any = request.user
    grids = list(Grid.objects.current().filter(code__in=_own_grid_codes(user)).order_by("code"))
    return render(
        request,
        "fieldwork/report.html",
        {
            "form": QuickReportForm(grids=grids),
            "map_center": settings.MAP_CENTER,
            "api_url": reverse("api:api-root") + "fieldwork/reports",
        },
    )


def _own_grid_codes(user: Any) -> list[str]:
    return [code for code in user.scope_codes if len(code) == 15]


@require_GET
@policy(roles=WORKERS, scope=LIST)
def my_grid(request: HttpRequest) -> HttpResponse:
    """The worker's own current grid(s) as a GeoJSON FeatureCollection (``code``, ``name``),
    read through ``Grid.objects.visible_to``. Never cached by the browser's HTTP cache: the
    service worker keeps its own copy and refreshes it on every online load."""
    user: Any = request.user
    grids = (
        Grid.objects.visible_to(user)
        .current()
        .filter(code__in=_own_grid_codes(user))
        .order_by("code")
        .values_list("code", "name", "geometry")
    )
    data = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": geometry,
                "properties": {"code": code, "name": name},
            }
            for code, name, geometry in grids
        ],
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/geo+json"
    )
    response["Cache-Control"] = "private, no-cache"
    return response
