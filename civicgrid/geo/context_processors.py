from typing import Any

from django.http import HttpRequest

from civicgrid.geo.basemap import basemap_config


def basemap(request: HttpRequest) -> dict[str, Any]:
    """Every page knows its base map (base.html renders it once for static/js/civic_basemap.js)."""
    return {"basemap": basemap_config(getattr(request, "user", None))}
