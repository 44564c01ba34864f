"""Import and export pages. Thin: the engine is ``imports``, the files come from ``exports``,
uploads run as a background job (``tasks``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from civicgrid.core.pagination import paginate
from civicgrid.geo.models import Grid, Region
from civicgrid.geo.selectors import access_grid
from civicgrid.registry.choices import ImportKind, ImportStatus
from civicgrid.registry.exports import (
    XLSX_TYPE,
    error_report_xlsx,
    ledger_filename,
    ledger_xlsx,
    printed_buildings,
    printed_people,
    template_csv,
    template_filename,
    template_xlsx,
)
from civicgrid.registry.exports import (
    ledger_export_unmasked as export_unmasked,
)
from civicgrid.registry.forms import UnmaskForm
from civicgrid.registry.imports import IMPORTERS, access_import_job
from civicgrid.registry.io_forms import ImportUploadForm
from civicgrid.registry.models import Building, ImportJob, Person
from civicgrid.registry.querysets import UNMASK_PERM
from civicgrid.registry.tasks import import_job_submit

if TYPE_CHECKING:
    from civicgrid.accounts.models import User


def _user(request: HttpRequest) -> User:
    return cast("User", request.user)


def _require_importer(request: HttpRequest) -> User:
    """Imports write ledgers: staff roles with write access only."""
    user = _user(request)
    if not (user.can_write and user.is_staff_member):
        raise PermissionDenied
    return user


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


@login_required
def import_home(request: HttpRequest) -> HttpResponse:
    user = _require_importer(request)
    jobs = ImportJob.objects.visible_to(user).select_related("created_by")
    return render(
        request,
        "registry/io/importjob_list.html",
        {"kinds": ImportKind.choices, "page": paginate(request, jobs.order_by("-created_at"))},
    )


@login_required
def import_upload(request: HttpRequest, kind: str) -> HttpResponse:
    user = _require_importer(request)
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


@login_required
def import_template(request: HttpRequest, kind: str, extension: str) -> HttpResponse:
    _require_importer(request)
    _kind(kind)
    if extension == "xlsx":
        return _download(template_xlsx(kind), template_filename(kind, "xlsx"))
    if extension == "csv":
        return _download(
            template_csv(kind), template_filename(kind, "csv"), "text/csv; charset=utf-8"
        )
    raise Http404


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = access_import_job(_user(request), pk)
    return render(request, "registry/io/importjob_detail.html", {"job": job, **_state(job)})


@login_required
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    job = access_import_job(_user(request), pk)
    return render(request, "registry/io/importjob_progress.html", {"job": job, **_state(job)})


def _state(job: ImportJob) -> dict[str, bool]:
    return {
        "running": job.status in (ImportStatus.PENDING, ImportStatus.RUNNING),
        "failed": job.status == ImportStatus.FAILED,
    }


@login_required
def job_errors(request: HttpRequest, pk: int) -> HttpResponse:
    job = access_import_job(_user(request), pk)
    return _download(error_report_xlsx(job.errors), f"导入错误明细-{job.pk}.xlsx")


@login_required
def ledger_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not user.is_staff_member:
        raise PermissionDenied
    grids = Grid.objects.visible_to(user).current().select_related("community").order_by("code")
    return render(
        request,
        "registry/io/ledger_list.html",
        {"page": paginate(request, grids), "can_unmask": user.has_perm(UNMASK_PERM)},
    )


@login_required
def ledger_export(request: HttpRequest, pk: int) -> HttpResponse:
    grid = access_grid(request.user, pk)
    return _download(ledger_xlsx(grid), ledger_filename(grid))


@login_required
def ledger_export_unmasked(request: HttpRequest, pk: int) -> HttpResponse:
    grid = access_grid(request.user, pk)
    user = _user(request)
    form = UnmaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            content = export_unmasked(
                actor=user, grid=grid, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as exc:
            form.add_error("reason", exc.message_dict.get("reason", exc.messages))
        else:
            return _download(content, ledger_filename(grid, unmasked=True))
    elif not user.has_perm(UNMASK_PERM):
        raise PermissionDenied
    return render(request, "registry/io/ledger_unmask.html", {"grid": grid, "form": form})


@login_required
def ledger_print(request: HttpRequest, pk: int) -> HttpResponse:
    grid = access_grid(request.user, pk)
    page = paginate(
        request, Building.objects.current().filter(grid_code=grid.code).order_by("address"), 20
    )
    # People recorded without a dwelling (only a grid) close the ledger on its last page.
    unhoused = (
        Person.objects.current()
        .filter(grid_code=grid.code, dwelling__isnull=True)
        .order_by("name", "pk")
        if not page.has_next()
        else Person.objects.none()
    )
    return render(
        request,
        "registry/io/ledger_print.html",
        {
            "grid": grid,
            "page": page,
            "buildings": list(printed_buildings(page.object_list)),
            "unhoused": printed_people(unhoused),
            "title": _("%(grid)s 人口与房屋台帐") % {"grid": grid.name},
        },
    )
