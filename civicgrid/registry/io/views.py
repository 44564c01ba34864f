"""Import and export pages. Thin: the engine is ``engine`` with one importer per kind, the
files come from ``exports``, uploads run as a background job (``jobs``).

Every view declares who may reach it (``core.policy``, docs/architecture.md "One way in"):
imports write ledgers (``WRITE_ROLES``), exports, prints and jobs read them
(``LEDGER_READERS``). A grid in the URL is fetched with ``access_ledger_grid`` and its rows
then come from ``visible_to(user)``, so the auditor, who reads the map but not the ledgers,
gets 403 and an outsider 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from civicgrid.accounts.choices import LEDGER_READERS, WRITE_ROLES
from civicgrid.core.pagination import paginate
from civicgrid.core.policy import LIST, NONE, OBJECT, policy
from civicgrid.core.replica import reads_replica
from civicgrid.geo.models import Grid, Region
from civicgrid.geo.selectors import access_grid
from civicgrid.registry.choices import ImportKind, ImportStatus
from civicgrid.registry.forms import UnmaskForm
from civicgrid.registry.io import exports
from civicgrid.registry.io.exports import (
    XLSX_TYPE,
    error_report_xlsx,
    ledger_filename,
    printed_buildings,
    printed_counts,
    printed_people,
    template_csv,
    template_filename,
    template_xlsx,
)
from civicgrid.registry.io.forms import ImportUploadForm
from civicgrid.registry.io.jobs import access_import_job, import_job_submit
from civicgrid.registry.io.kinds import IMPORTERS
from civicgrid.registry.models import Building, ImportJob, Person
from civicgrid.registry.querysets import UNMASK_PERM

if TYPE_CHECKING:
    from civicgrid.accounts.models import User


def _user(request: HttpRequest) -> User:
    return cast("User", request.user)


def access_ledger_grid(user: User, pk: int) -> Grid:
    """A grid whose ledger ``user`` may read: 404 when out of jurisdiction (as if missing),
    403 for a role that reads the map but not the ledgers. ``access_grid`` alone answers for
    the map, which the auditor reads (accounts.choices.READS)."""
    grid = access_grid(user, pk)
    if not user.reads("ledgers"):
        raise PermissionDenied
    return grid


def _kind(kind: str) -> ImportKind:
    if kind not in ImportKind.values:
        raise Http404
    return ImportKind(kind)


def _download(content: bytes, filename: str, content_type: str = XLSX_TYPE) -> HttpResponse:
    return HttpResponse(
        content,
        content_type=content_type,
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


def _scopes(user: User) -> list[tuple[str, str]]:
    """The areas a user may import into, named, widest first."""
    codes = user.scope_codes
    if user.sees_everything and not codes:
        codes = list(Region.objects.filter(parent__isnull=True).values_list("code", flat=True))
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    names.update(Grid.objects.filter(code__in=codes).values_list("code", "name"))
    return [(code, f"{names.get(code, code)}({code})") for code in sorted(codes, key=len)]


@policy(roles=WRITE_ROLES, scope=LIST)
def import_home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    jobs = ImportJob.objects.visible_to(user).select_related("created_by")
    return render(
        request,
        "registry/io/importjob_list.html",
        {"kinds": ImportKind.choices, "page": paginate(request, jobs.order_by("-created_at"))},
    )


@policy(roles=WRITE_ROLES, scope=NONE)
def import_upload(request: HttpRequest, kind: str) -> HttpResponse:
    user = _user(request)
    label = _kind(kind).label
    form = ImportUploadForm(request.POST or None, request.FILES or None, scopes=_scopes(user))
    if request.method == "POST" and form.is_valid():
        job = import_job_submit(
            user=user,
            kind=kind,
            upload=form.cleaned_data["file"],
            scope_code=form.cleaned_data["scope_code"],
        )
        return redirect("registry:io_job", pk=job.pk)
    return render(
        request,
        "registry/io/importjob_form.html",
        {"kind": kind, "label": label, "form": form, "columns": IMPORTERS[kind].columns},
    )


@policy(roles=WRITE_ROLES, scope=NONE)
def import_template(request: HttpRequest, kind: str, extension: str) -> HttpResponse:
    _kind(kind)
    if extension == "xlsx":
        return _download(template_xlsx(kind), template_filename(kind, "xlsx"))
    if extension == "csv":
        return _download(
            template_csv(kind), template_filename(kind, "csv"), "text/csv; charset=utf-8"
        )
    raise Http404


@policy(roles=LEDGER_READERS, scope=OBJECT)
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = access_import_job(_user(request), pk)
    return render(request, "registry/io/importjob_detail.html", {"job": job, **_state(job)})


@policy(roles=LEDGER_READERS, scope=OBJECT)
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    job = access_import_job(_user(request), pk)
    return render(request, "registry/io/importjob_progress.html", {"job": job, **_state(job)})


def _state(job: ImportJob) -> dict[str, bool]:
    return {
        "running": job.status in (ImportStatus.PENDING, ImportStatus.RUNNING),
        "failed": job.status == ImportStatus.FAILED,
    }


@policy(roles=LEDGER_READERS, scope=OBJECT)
def job_errors(request: HttpRequest, pk: int) -> HttpResponse:
    job = access_import_job(_user(request), pk)
    return _download(error_report_xlsx(job.errors), f"导入错误明细-{job.pk}.xlsx")


@policy(roles=LEDGER_READERS, scope=LIST)
def ledger_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    grids = Grid.objects.visible_to(user).current().select_related("community").order_by("code")
    return render(
        request,
        "registry/io/ledger_list.html",
        {"page": paginate(request, grids), "can_unmask": user.has_perm(UNMASK_PERM)},
    )


@policy(roles=LEDGER_READERS, scope=OBJECT)
@reads_replica
def ledger_export(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    grid = access_ledger_grid(user, pk)
    ledger = exports.ledger_export(actor=user, grid=grid, request=request)
    return _download(ledger.content, ledger_filename(grid))


@policy(roles=LEDGER_READERS, scope=OBJECT)
@reads_replica
def ledger_export_unmasked(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    grid = access_ledger_grid(user, pk)
    form = UnmaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ledger = exports.ledger_export_unmasked(
                actor=user, grid=grid, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as exc:
            form.add_error("reason", exc.message_dict.get("reason", exc.messages))
        else:
            return _download(ledger.content, ledger_filename(grid, unmasked=True))
    elif not user.has_perm(UNMASK_PERM):
        raise PermissionDenied
    return render(request, "registry/io/ledger_unmask.html", {"grid": grid, "form": form})


@policy(roles=LEDGER_READERS, scope=OBJECT)
def ledger_print(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    grid = access_ledger_grid(user, pk)
    page = paginate(
        request,
        Building.objects.visible_to(user).current().filter(grid_code=grid.code).order_by("address"),
        20,
    )
    # People recorded without a dwelling (only a grid) close the ledger on its last page.
    unhoused = printed_people(
        Person.objects.visible_to(user)
        .current()
        .filter(grid_code=grid.code, dwelling__isnull=True)
        .select_related("household__head")
        .order_by("name", "pk")
        if not page.has_next()
        else Person.objects.none(),
        user,
    )
    buildings = list(printed_buildings(page.object_list, user))
    # Every printed page is a bulk output of names and families: audited like an export.
    exports.audit_bulk_output(
        actor=user,
        grid=grid,
        action=exports.PRINT_ACTION,
        rows=printed_counts(buildings, unhoused),
        unmasked=False,
        request=request,
        note=f"第 {page.number} 页",
    )
    return render(
        request,
        "registry/io/ledger_print.html",
        {
            "grid": grid,
            "page": page,
            "buildings": buildings,
            "unhoused": unhoused,
            "title": _("%(grid)s 人口与房屋台账") % {"grid": grid.name},
        },
    )
