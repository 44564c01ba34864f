"""Navigation assembled from the installed apps: each AppConfig lists its own entries as
``nav_items = [(order, label, url_name, roles)]`` so that a module appears in the menu only
when it is installed and only to the roles it serves (``roles=None`` means every staff role).

An AppConfig may also name the menu group its entries belong to (``nav_group = label``;
participation's sub-apps share one). A long menu (a command centre sees some 25 entries,
which wrapped to four rows at 1280 px) shows each group as one heading that opens on hover or
focus; a short one (a resident's) stays flat, and on a phone every group is listed open."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse


def _items_for(user: Any) -> list[dict[str, Any]]:
    entries = []
    for config in apps.get_app_configs():
        for order, label, url_name, roles in getattr(config, "nav_items", []):
            if roles is not None and user.role not in roles and not user.is_superuser:
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            entries.append(
                {
                    "order": order,
                    "label": label,
                    "url": url,
                    "name": url_name,
                    "group": getattr(config, "nav_group", None),
                }
            )
    return sorted(entries, key=lambda e: e["order"])


# A menu with at most this many entries is shown flat.
FLAT_MENU_ITEMS = 9


def _grouped(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entries as menu headings in order: a group with one entry is the entry itself."""
    menu: list[dict[str, Any]] = []
    groups: dict[Any, dict[str, Any]] = {}
    for item in items:
        label = item["group"] if len(items) > FLAT_MENU_ITEMS else None
        if label is None:
            menu.append({"label": item["label"], "items": [item], "active": item["active"]})
            continue
        group = groups.get(label)
        if group is None:
            group = groups[label] = {"label": label, "items": [], "active": False}
            menu.append(group)
        group["items"].append(item)
        group["active"] = group["active"] or item["active"]
    return menu


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_menu": []}
    items = _items_for(user)
    path = request.path
    # The current page is the entry with the longest address the path is under (台账核查 at
    # /registry/completeness/, not 基础台账 at /registry/ as well).
    under = [
        i for i in items if path == i["url"] or (i["url"] != "/" and path.startswith(i["url"]))
    ]
    best = max((len(i["url"]) for i in under), default=-1)
    for item in items:
        item["active"] = item in under and len(item["url"]) == best
    return {"nav_items": items, "nav_menu": _grouped(items)}
