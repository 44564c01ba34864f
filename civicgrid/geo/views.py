from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicgrid.accounts.choices import GRID_MAP_ROLES, MAP_READERS
from civicgrid.core import throttle
from civicgrid.core.client_ip import client_ip
from civicgrid.core.policy import LIST, NONE, OBJECT, policy
from civicgrid.geo.basemap import offline_features
from civicgrid.geo.forms import CUTTER_MAX_BYTES, MergeForm, SplitForm
from civicgrid.geo.presenters import worker_contacts
from civicgrid.geo.selectors import (
    ADJUST_ROLES,
    access_grid,
    access_grid_for_adjustment,
    adjacent_grids,
    grid_workers,
    region_tree,
)
from civicgrid.geo.services import GridAdjustmentError, grid_merge, grid_split


# Who reaches each page (docs/architecture.md "One way in"): the roles that read the map, and
# for split and merge the command centre and the system administrator (ADJUST_ROLES); grids
# come from access_grid*/visible_to, so a grid outside the user's codes is a 404.
@policy(roles=MAP_READERS, scope=LIST)
def region_list(request: HttpRequest) -> HttpResponse:
    return render(request, "geo/region_list.html", {"tree": region_tree(request.user)})


@policy(roles=GRID_MAP_ROLES, scope=NONE)  # the page is empty; grids come from the API
def grid_map(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "geo/grid_map.html",
        {
            "center": settings.MAP_CENTER,
        },
    )


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _may_adjust(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_superuser or getattr(user, "role", None) in ADJUST_ROLES)


@policy(roles=MAP_READERS, scope=OBJECT)
def grid_detail(
    request: HttpRequest,
    pk: int,
    split_form: SplitForm | None = None,
    merge_form: MergeForm | None = None,
    status: int | None = None,
) -> HttpResponse:
    grid = access_grid(request.user, pk)
    workers = worker_contacts(grid_workers([grid.code])[grid.code])
    context = {
        "grid": grid,
        "workers": workers,
        "predecessors": grid.predecessors.all(),
        "successors": grid.successors.all(),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "geo/grid_card.html", context)
    if grid.is_current and _may_adjust(request):
        neighbours = adjacent_grids(grid, request.user)
        context["split_form"] = split_form or SplitForm()
        context["merge_form"] = merge_form or MergeForm(neighbours=neighbours)
        context["neighbours"] = neighbours
    status = status or (400 if (split_form or merge_form) else 200)
    return render(request, "geo/grid_detail.html", context, status=status)


@policy(roles=ADJUST_ROLES, scope=OBJECT)
@require_POST
def grid_split_view(request: HttpRequest, pk: int) -> HttpResponse:
    grid = access_grid_for_adjustment(request.user, pk)
    if _content_length(request) > CUTTER_MAX_BYTES:
        # Refused before the body is read: the site-wide upload limit is far larger.
        form = SplitForm(data={})
        form.full_clean()
        form.errors.clear()
        form.add_error(
            None,
            _("提交的内容过大(上限 %(kb)s KB),请画一条更简单的切割线。")
            % {"kb": CUTTER_MAX_BYTES // 1024},
        )
        return grid_detail(request, pk, split_form=form, status=413)
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


@policy(roles=ADJUST_ROLES, scope=OBJECT)
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


@policy(public=True)
def basemap(request: HttpRequest) -> HttpResponse:
    """The offline base layer: street and community boundaries (public, see geo/basemap.py).
    Browsers and the phone app keep it for a while; it changes when a boundary is redrawn."""
    if not throttle.hit("basemap", client_ip(request), limit=120, window_seconds=60):
        return JsonResponse({"detail": _("请求过于频繁,请稍后再试")}, status=429)
    response = JsonResponse(offline_features())
    response["Cache-Control"] = "public, max-age=600"
    return response
