"""Navigation assembled from the installed apps: each AppConfig lists its own entries as
``nav_items = [(order, label, url_name, roles)]`` so that a module appears in the menu only
when it is installed and only to the roles it serves (``roles=None`` means every staff role)."""

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
            entries.append({"order": order, "label": label, "url": url, "name": url_name})
    return sorted(entries, key=lambda e: e["order"])


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = _items_for(user)
    path = request.path
    for item in items:
        item["active"] = (path.startswith(item["url"]) and item["url"] != "/") or path == item[
            "url"
        ]
    return {"nav_items": items}
