"""Registry pages. Thin: read through selectors, write through services, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicgrid.core.pagination import paginate
from civicgrid.core.pii import mask_phone
from civicgrid.geo.models import Grid
from civicgrid.geo.selectors import access_grid
from civicgrid.registry import selectors, services
from civicgrid.registry.choices import PersonStatus, Relation, Residency
from civicgrid.registry.forms import (
    BuildingForm,
    DeceasedForm,
    DwellingForm,
    HouseholdForm,
    MoveInForm,
    MoveOutForm,
    OrganizationForm,
    PersonForm,
    TagForm,
    UnmaskForm,
)
from civicgrid.registry.masking import masked_pii
from civicgrid.registry.models import Building, Household, PersonMove, TagKind
from civicgrid.registry.querysets import UNMASK_PERM, sees_special_groups

if TYPE_CHECKING:
    from civicgrid.accounts.models import User


def _user(request: HttpRequest) -> User:
    return cast("User", request.user)


def _require_writer(request: HttpRequest) -> None:
    if not request.user.can_write:  # type: ignore[union-attr]
        raise PermissionDenied


def _run(form: Form, action: Callable[[], Any]) -> Any:
    """Call a service; put its Chinese validation errors back on the form."""
    try:
        return action()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
        return None


def _form_page(
    request: HttpRequest, form: Form, title: str, back: str, **extra: Any
) -> HttpResponse:
    return render(
        request, "registry/record_form.html", {"form": form, "title": title, "back": back, **extra}
    )


# --------------------------------------------------------------------------------- home


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    codes = user.scope_codes if not user.sees_everything else [""]  # type: ignore[union-attr]
    audits = [selectors.completeness(code) for code in codes]
    scores = [row for audit in audits for row in audit["grids"]]
    return render(
        request,
        "registry/home.html",
        {
            "counts": selectors.registry_counts(user),
            "grids": scores[:12],
            "more_grids": len(scores) > 12,
        },
    )


@login_required
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    result = selectors.search(request.user, query)
    return render(request, "registry/search.html", {"result": result, "q": query})


# ------------------------------------------------------------------------------ drill-down


@login_required
def grid_list(request: HttpRequest) -> HttpResponse:
    grids = (
        Grid.objects.visible_to(request.user)
        .current()
        .select_related("community")
        .annotate(
            building_count=Count(
                "buildings", filter=Q(buildings__retired_on__isnull=True), distinct=True
            )
        )
        .order_by("code")
    )
    return render(request, "registry/grid_list.html", {"page": paginate(request, grids)})


@login_required
def grid_detail(request: HttpRequest, pk: int) -> HttpResponse:
    grid = access_grid(request.user, pk)
    q = request.GET.get("q", "")
    buildings = selectors.building_list(request.user, grid=grid.code, q=q)
    return render(
        request,
        "registry/grid_detail.html",
        {"grid": grid, "page": paginate(request, buildings), "q": q},
    )


@login_required
def building_create(request: HttpRequest) -> HttpResponse:
    _require_writer(request)
    form = BuildingForm(request.POST or None, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        building = _run(form, lambda: services.building_create(actor=_user(request), **data))
        if building:
            messages.success(request, _("楼栋已登记,所属网格:%(grid)s") % {"grid": building.grid})
            return redirect("registry:building_detail", building.pk)
    return _form_page(request, form, _("登记楼栋"), reverse("registry:grids"), locate=True)


@login_required
def building_detail(request: HttpRequest, pk: int) -> HttpResponse:
    building = selectors.access_building(request.user, pk)
    dwellings = selectors.dwelling_list(request.user, building=building.pk)
    return render(
        request,
        "registry/building_detail.html",
        {
            "building": building,
            "page": paginate(request, dwellings),
            "organizations": building.organizations.filter(retired_on__isnull=True),
        },
    )


@login_required
def building_edit(request: HttpRequest, pk: int) -> HttpResponse:
    building = selectors.access_building(request.user, pk, for_write=True)
    form = BuildingForm(request.POST or None, instance=building)
    if request.method == "POST" and form.is_valid():
        data = form.changes()
        if _run(
            form,
            lambda: services.building_update(actor=_user(request), building=building, **data),
        ):
            messages.success(request, _("已保存"))
            return redirect("registry:building_detail", building.pk)
    back = reverse("registry:building_detail", args=[building.pk])
    return _form_page(request, form, _("修改楼栋"), back, locate=True)


@login_required
def dwelling_create(request: HttpRequest, building_pk: int) -> HttpResponse:
    building = selectors.access_building(request.user, building_pk, for_write=True)
    form = DwellingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        dwelling = _run(
            form,
            lambda: services.dwelling_create(actor=_user(request), building=building, **data),
        )
        if dwelling:
            messages.success(request, _("房屋已登记"))
            return redirect("registry:dwelling_detail", dwelling.pk)
    back = reverse("registry:building_detail", args=[building.pk])
    return _form_page(request, form, _("登记房屋 · %(b)s") % {"b": building}, back)


@login_required
def dwelling_detail(request: HttpRequest, pk: int) -> HttpResponse:
    dwelling = selectors.access_dwelling(request.user, pk)
    households = selectors.household_list(request.user, dwelling=dwelling.pk)
    residents = selectors.person_list(
        request.user, selectors.PersonFilters(dwelling=dwelling.pk)
    ).filter(household__isnull=True)
    return render(
        request,
        "registry/dwelling_detail.html",
        {
            "dwelling": dwelling,
            "households": households,
            "residents": residents,
            "lessor_phone": mask_phone(dwelling.lessor_phone),
        },
    )


@login_required
def dwelling_edit(request: HttpRequest, pk: int) -> HttpResponse:
    dwelling = selectors.access_dwelling(request.user, pk, for_write=True)
    form = DwellingForm(request.POST or None, instance=dwelling)
    if request.method == "POST" and form.is_valid():
        data = form.changes()
        if _run(
            form,
            lambda: services.dwelling_update(actor=_user(request), dwelling=dwelling, **data),
        ):
            messages.success(request, _("已保存"))
            return redirect("registry:dwelling_detail", dwelling.pk)
    back = reverse("registry:dwelling_detail", args=[dwelling.pk])
    return _form_page(request, form, _("修改房屋"), back)


@login_required
def household_create(request: HttpRequest, dwelling_pk: int) -> HttpResponse:
    dwelling = selectors.access_dwelling(request.user, dwelling_pk, for_write=True)
    form = HouseholdForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        household = _run(
            form,
            lambda: services.household_register(actor=_user(request), dwelling=dwelling, **data),
        )
        if household:
            messages.success(request, _("住户已登记,请添加户主和成员"))
            return redirect("registry:household_detail", household.pk)
    back = reverse("registry:dwelling_detail", args=[dwelling.pk])
    return _form_page(request, form, _("登记住户 · %(d)s") % {"d": dwelling}, back)


@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.access_household(request.user, pk)
    members = selectors.person_list(request.user, selectors.PersonFilters(household=household.pk))
    return render(
        request,
        "registry/household_detail.html",
        {"household": household, "members": members},
    )


@login_required
@require_POST
def household_set_head(request: HttpRequest, pk: int) -> HttpResponse:
    household = selectors.access_household(request.user, pk, for_write=True)
    head = selectors.access_person(request.user, request.POST.get("head"))
    try:
        services.household_update(actor=_user(request), household=household, head=head)
        services.person_update(actor=_user(request), person=head, relation=Relation.HEAD)
    except ValidationError as exc:
        messages.error(request, "".join(exc.messages))
    else:
        messages.success(request, _("户主已设为%(p)s") % {"p": head})
    return redirect("registry:household_detail", household.pk)


@login_required
@require_POST
def person_merge(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.access_person(request.user, pk, for_write=True)
    other = selectors.access_person(request.user, request.POST.get("other"), for_write=True)
    try:
        kept = services.person_merge(
            actor=_user(request), first=person, second=other, request=request
        )
    except ValidationError as exc:
        messages.error(request, "".join(exc.messages))
        return redirect("registry:person_detail", person.pk)
    messages.success(request, _("已合并重复记录,保留较早登记的记录"))
    return redirect("registry:person_detail", kept.pk)


@login_required
def person_create(request: HttpRequest, household_pk: int) -> HttpResponse:
    household = selectors.access_household(request.user, household_pk, for_write=True)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = _run(
            form,
            lambda: services.person_create(actor=_user(request), household=household, **data),
        )
        if person:
            messages.success(request, _("人员已登记"))
            return redirect("registry:household_detail", household.pk)
    back = reverse("registry:household_detail", args=[household.pk])
    return _form_page(request, form, _("添加成员 · 户号 %(h)s") % {"h": household}, back)


@login_required
def person_move_in(request: HttpRequest, dwelling_pk: int) -> HttpResponse:
    dwelling = selectors.access_dwelling(request.user, dwelling_pk, for_write=True)
    households = Household.objects.visible_to(request.user).current().filter(dwelling=dwelling)
    form = MoveInForm(request.POST or None, households=households)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        household = data.pop("household", None)
        moved_on = data.pop("moved_in_on")
        person = _run(
            form,
            lambda: services.person_move_in(
                actor=_user(request),
                dwelling=dwelling,
                household=household,
                moved_on=moved_on,
                **data,
            ),
        )
        if person:
            messages.success(request, _("迁入登记完成"))
            return redirect("registry:person_detail", person.pk)
    back = reverse("registry:dwelling_detail", args=[dwelling.pk])
    return _form_page(request, form, _("迁入登记 · %(d)s") % {"d": dwelling}, back)


# ---------------------------------------------------------------------------------- people


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    filters = selectors.PersonFilters(
        grid=request.GET.get("grid", ""),
        residency=request.GET.get("residency", ""),
        status=request.GET.get("status", PersonStatus.LIVING),
        tag=request.GET.get("tag", ""),
    )
    try:
        people = selectors.person_list(request.user, filters)
    except selectors.SpecialGroupFilterRefused as exc:
        raise PermissionDenied(_("没有查看特殊人群的权限")) from exc
    kinds = TagKind.objects.filter(retired_on__isnull=True)
    if not sees_special_groups(request.user):
        kinds = kinds.filter(sensitive=False)
    return render(
        request,
        "registry/person_list.html",
        {
            "page": paginate(request, people),
            "filters": filters,
            "residencies": Residency.choices,
            "statuses": PersonStatus.choices,
            "kinds": kinds,
        },
    )


def _person_card(request: HttpRequest, person: Any, **extra: Any) -> dict[str, Any]:
    return {
        "person": person,
        "masked": masked_pii(person),
        "tags": selectors.visible_tags(request.user, person),
        "moves": selectors.person_moves(request.user, person),
        "history": selectors.person_history(person),
        "can_unmask": request.user.has_perm(UNMASK_PERM),
        "unmask_form": UnmaskForm(),
        "can_tag": _user(request).can_write,
        "duplicates": selectors.duplicates_of(request.user, person),
        **extra,
    }


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.access_person(request.user, pk)
    return render(request, "registry/person_detail.html", _person_card(request, person))


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.access_person(request.user, pk, for_write=True)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        data = form.changes()
        if _run(form, lambda: services.person_update(actor=_user(request), person=person, **data)):
            messages.success(request, _("已保存"))
            return redirect("registry:person_detail", person.pk)
    back = reverse("registry:person_detail", args=[person.pk])
    return _form_page(request, form, _("修改人员信息 · %(p)s") % {"p": person}, back)


@login_required
@require_POST
def person_unmask(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.access_person(request.user, pk)
    form = UnmaskForm(request.POST)
    values = None
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        values = _run(
            form,
            lambda: services.person_unmask(
                actor=_user(request), person=person, reason=reason, request=request
            ),
        )
    status = 200 if values else 400
    if request.htmx:  # type: ignore[attr-defined]
        # htmx swaps only 2xx answers by default; the form with its error is the answer.
        context = {"person": person, "unmask_form": form, "values": values}
        return render(request, "registry/_unmask.html", context | {"masked": masked_pii(person)})
    card = _person_card(request, person, unmask_form=form, values=values)
    return render(request, "registry/person_detail.html", card, status=status)


@login_required
def person_move_out(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.access_person(request.user, pk, for_write=True)
    form = MoveOutForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        moved = _run(
            form, lambda: services.person_move_out(actor=_user(request), person=person, **data)
        )
        if moved:
            messages.success(request, _("迁出登记完成"))
            if request.user.in_scope(moved.grid_code, reads="ledgers"):  # type: ignore[union-attr]
                return redirect("registry:person_detail", moved.pk)
            return redirect("registry:moves")
    back = reverse("registry:person_detail", args=[person.pk])
    return _form_page(request, form, _("迁出登记 · %(p)s") % {"p": person}, back)


@login_required
def person_deceased(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.access_person(request.user, pk, for_write=True)
    form = DeceasedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        died_on = form.cleaned_data["died_on"]
        if _run(
            form,
            lambda: services.person_mark_deceased(
                actor=_user(request), person=person, died_on=died_on
            ),
        ):
            messages.success(request, _("已登记死亡"))
            return redirect("registry:person_detail", person.pk)
    back = reverse("registry:person_detail", args=[person.pk])
    return _form_page(request, form, _("登记死亡 · %(p)s") % {"p": person}, back)


@login_required
def person_tag_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.access_person(request.user, pk, for_write=True)
    kinds = TagKind.objects.filter(retired_on__isnull=True)
    if not sees_special_groups(request.user):
        kinds = kinds.filter(sensitive=False)
    form = TagForm(request.POST or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _run(
            form,
            lambda: services.person_tag_add(
                actor=_user(request),
                person=person,
                kind=data["kind"],
                attributes=form.attributes(),
                started_on=data["started_on"],
                note=data["note"],
            ),
        ):
            messages.success(request, _("标签已添加"))
            return redirect("registry:person_detail", person.pk)
    back = reverse("registry:person_detail", args=[person.pk])
    return _form_page(
        request, form, _("添加人群标签 · %(p)s") % {"p": person}, back, tag_kinds=form.kind_list
    )


@login_required
@require_POST
def tag_end(request: HttpRequest, pk: int) -> HttpResponse:
    tag = selectors.access_tag(request.user, pk, for_write=True)
    services.person_tag_end(actor=_user(request), tag=tag)
    messages.success(request, _("标签已结束"))
    return redirect("registry:person_detail", tag.person_id)


_VERIFIABLE = {
    "building": (selectors.access_building, "registry:building_detail"),
    "dwelling": (selectors.access_dwelling, "registry:dwelling_detail"),
    "household": (selectors.access_household, "registry:household_detail"),
    "person": (selectors.access_person, "registry:person_detail"),
    "organization": (selectors.access_organization, "registry:organization_detail"),
}


@login_required
@require_POST
def record_verify(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    if kind not in _VERIFIABLE:
        raise Http404
    access, detail = _VERIFIABLE[kind]
    record = access(request.user, pk, for_write=True)
    services.record_verify(actor=_user(request), record=record)
    messages.success(request, _("已核实:%(r)s") % {"r": record})
    return redirect(detail, record.pk)


@login_required
def move_list(request: HttpRequest) -> HttpResponse:
    moves = (
        PersonMove.objects.visible_to(request.user)
        .select_related("person", "actor")
        .order_by("-moved_on", "-pk")
    )
    return render(request, "registry/move_list.html", {"page": paginate(request, moves)})


# --------------------------------------------------------------------------- organisations


@login_required
def organization_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    rows = selectors.organization_list(request.user, q=q, kind=request.GET.get("kind", ""))
    return render(
        request, "registry/organization_list.html", {"page": paginate(request, rows), "q": q}
    )


@login_required
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.access_organization(request.user, pk)
    return render(
        request,
        "registry/organization_detail.html",
        {"org": org, "contact_phone": mask_phone(org.contact_phone)},
    )


def _organization_form(request: HttpRequest, org: Any = None) -> OrganizationForm:
    form = OrganizationForm(request.POST or None, instance=org)
    form.limit_buildings(Building.objects.visible_to(request.user).current())
    if org is not None and org.building_id and not form.is_bound:
        form.initial["building"] = org.building_id
    return form


@login_required
def organization_create(request: HttpRequest) -> HttpResponse:
    _require_writer(request)
    form = _organization_form(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        org = _run(form, lambda: services.organization_create(actor=_user(request), **data))
        if org:
            messages.success(request, _("组织已登记"))
            return redirect("registry:organization_detail", org.pk)
    return _form_page(request, form, _("登记组织"), reverse("registry:organizations"))


@login_required
def organization_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.access_organization(request.user, pk, for_write=True)
    form = _organization_form(request, org)
    if request.method == "POST" and form.is_valid():
        data = form.changes()
        if _run(
            form,
            lambda: services.organization_update(actor=_user(request), organization=org, **data),
        ):
            messages.success(request, _("已保存"))
            return redirect("registry:organization_detail", org.pk)
    back = reverse("registry:organization_detail", args=[org.pk])
    return _form_page(request, form, _("修改组织"), back)


# ---------------------------------------------------------------------------- completeness


def _audit_code(request: HttpRequest) -> str:
    user = request.user
    code = request.GET.get("code", "")
    if code:
        if not user.in_scope(code, reads="ledgers"):  # type: ignore[union-attr]
            raise Http404
        return code
    if user.sees_everything:  # type: ignore[union-attr]
        return ""
    codes = user.scope_codes  # type: ignore[union-attr]
    if not codes:
        raise Http404
    return min(codes, key=len)


@login_required
def completeness(request: HttpRequest) -> HttpResponse:
    code = _audit_code(request)
    return render(
        request, "registry/completeness.html", {"audit": selectors.completeness(code), "code": code}
    )


@login_required
def gap_list(request: HttpRequest) -> HttpResponse:
    code = _audit_code(request)
    found = selectors.gaps(request.user, code)
    sections = [
        {"kind": kind, "label": label, "rows": found[kind]}
        for kind, label in selectors.GAP_KINDS.items()
    ]
    return render(request, "registry/gap_list.html", {"sections": sections, "code": code})


def workbench_panel(request: HttpRequest) -> dict[str, Any] | None:
    """The registry's panel on the workbench: headline counts and the audit score."""
    user = _user(request)
    if not user.is_authenticated or not user.can_write:
        return None
    codes = [""] if user.sees_everything else sorted(user.scope_codes, key=len)[:1]
    if not codes:
        return None
    audit = selectors.completeness(codes[0])
    rows = audit["streets"] if len(codes[0]) < 9 else audit["grids"]
    total = selectors.Completeness(codes[0], "")
    for row in rows:
        total.add(row)
    return {
        "template": "registry/_workbench.html",
        "data": {"counts": selectors.registry_counts(user), "audit": total, "code": codes[0]},
    }
