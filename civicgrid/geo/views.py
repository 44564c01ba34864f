from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicgrid.geo.forms import MergeForm, SplitForm
from civicgrid.geo.selectors import (
    ADJUST_ROLES,
    access_grid,
    access_grid_for_adjustment,
    adjacent_grids,
    grid_workers,
    region_tree,
)
from civicgrid.geo.services import GridAdjustmentError, grid_merge, grid_split


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


def _may_adjust(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_superuser or getattr(user, "role", None) in ADJUST_ROLES)


@login_required
def grid_detail(
    request: HttpRequest,
    pk: int,
    split_form: SplitForm | None = None,
    merge_form: MergeForm | None = None,
) -> HttpResponse:
    grid = access_grid(request.user, pk)
    workers = grid_workers([grid.code])[grid.code]
    context = {
        "grid": grid,
        "workers": workers,
        "predecessors": grid.predecessors.all(),
        "successors": grid.successors.all(),
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "geo/grid_card.html", context)
    if grid.is_current and _may_adjust(request):
        neighbours = adjacent_grids(grid, request.user)
        context["split_form"] = split_form or SplitForm()
        context["merge_form"] = merge_form or MergeForm(neighbours=neighbours)
        context["neighbours"] = neighbours
    status = 400 if (split_form or merge_form) else 200
    return render(request, "geo/grid_detail.html", context, status=status)


@login_required
@require_POST
def grid_split_view(request: HttpRequest, pk: int) -> HttpResponse:
    grid = access_grid_for_adjustment(request.user, pk)
    form = SplitForm(request.POST)
    if form.is_valid():
        try:
            new = grid_split(
                grid=grid,
                cutter=form.cleaned_data["cutter"],
                actor=request.user,
                on=form.cleaned_data["on"],
                request=request,
            )
        except GridAdjustmentError as exc:
            form.add_error("cutter", str(exc))
        else:
            messages.success(
                request,
                _("网格已拆分为:%(codes)s") % {"codes": "、".join(g.code for g in new)},
            )
            return redirect("geo:grid_detail", pk=new[0].pk)
    return grid_detail(request, pk, split_form=form)


@login_required
@require_POST
def grid_merge_view(request: HttpRequest, pk: int) -> HttpResponse:
    grid = access_grid_for_adjustment(request.user, pk)
    form = MergeForm(request.POST, neighbours=adjacent_grids(grid, request.user))
    if form.is_valid():
        try:
            merged = grid_merge(
                grids=[grid, *form.cleaned_data["others"]],
                actor=request.user,
                on=form.cleaned_data["on"],
                name=form.cleaned_data["name"],
                request=request,
            )
        except GridAdjustmentError as exc:
            form.add_error("others", str(exc))
        else:
            messages.success(request, _("网格已合并为 %(code)s") % {"code": merged.code})
            return redirect("geo:grid_detail", pk=merged.pk)
    return grid_detail(request, pk, merge_form=form)
