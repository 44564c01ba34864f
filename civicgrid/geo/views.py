from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from civicgrid.geo.selectors import access_grid, grid_workers, region_tree


@login_required
def region_list(request: HttpRequest) -> HttpResponse:
    return render(request, "geo/region_list.html", {"tree": region_tree(request.user)})


@login_required
def grid_map(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "geo/grid_map.html",
        {
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            "center": settings.MAP_CENTER,
        },
    )


@login_required
def grid_detail(request: HttpRequest, pk: int) -> HttpResponse:
    grid = access_grid(request.user, pk)
    workers = grid_workers([grid.code])[grid.code]
    template = "geo/grid_card.html" if request.htmx else "geo/grid_detail.html"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        {
            "grid": grid,
            "workers": workers,
            "predecessors": grid.predecessors.all(),
            "successors": grid.successors.all(),
        },
    )
