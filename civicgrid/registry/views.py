"""Registry pages. Thin: read through selectors, write through services, render.

Every view declares its policy (docs/architecture.md "One way in"): ledger readers
(``LEDGER_READERS``) open the pages, ledger writers (``WRITE_ROLES``) the forms; anyone else gets
403 before anything is read. Templates receive only what ``registry.presenters`` makes of a
row: never a Person, Dwelling or Organization instance, whose encrypted fields are decrypted
on load.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicgrid.accounts.choices import LEDGER_READERS, WRITE_ROLES
from civicgrid.core.pagination import paginate
from civicgrid.core.policy import LIST, NONE, OBJECT, policy
from civicgrid.core.scoping import scope_key
from civicgrid.geo.choices import LENGTH_BY_LEVEL, Level
from civicgrid.geo.models import Grid
from civicgrid.geo.selectors import above_community, access_grid, wider_than_community
from civicgrid.registry import hooks, selectors, services
from civicgrid.registry.choices import PersonStatus, Residency
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
from civicgrid.registry.models import Building, Household, LedgerPolicy, PersonMove, TagKind
from civicgrid.registry.presenters import (
    present_building,
    present_dwelling,
    present_household,
    present_move,
    present_organization,
    present_person,
    present_tag,
)
from civicgrid.registry.querysets import UNMASK_PERM, sees_special_groups

if TYPE_CHECKING:
    from civicgrid.accounts.models import User


def _user(request: HttpRequest) -> User:
    return cast("User", request.user)


# The declarations (core.policy), one per kind of page.
READ_LIST = policy(roles=LEDGER_READERS, scope=LIST)
READ_ONE = policy(roles=LEDGER_READERS, scope=OBJECT)
WRITE_NEW = policy(roles=WRITE_ROLES, scope=NONE)
WRITE_LIST = policy(roles=WRITE_ROLES, scope=LIST)
WRITE_ONE = policy(roles=WRITE_ROLES, scope=OBJECT)


def _page_of(request: HttpRequest, rows: Any, present: Callable[..., dict[str, Any]]) -> Any:
    """One page of ``rows`` whose items are presented (masked) dicts."""
    page = paginate(request, rows)
    user = _user(request)
    page.object_list = [present(row, user=user) for row in page.object_list]
    return page


def _pk_from_post(request: HttpRequest, name: str) -> int | None:
    """A row ID posted by a form; ``None`` when missing or not a number."""
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() and len(value) < 19 else None


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


HOME_GRIDS = 12


@READ_LIST
def home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    # A street's or wider ledger is millions of records (counting and auditing a city of 10 M
    # took 30–44 s): it shows last night's figures and its weakest grids, as the workbench does.
    stored = hooks.stored_audit(user, weakest=HOME_GRIDS) if wider_than_community(user) else None
    if stored is not None and stored.counts is not None:
        context = {"counts": stored.counts, "grids": stored.weakest, "more_grids": True}
        return render(request, "registry/home.html", {**context, "night": stored.day})
    scores = selectors.completeness(user)["grids"]
    return render(
        request,
        "registry/home.html",
        {
            "counts": selectors.registry_counts(user),
            "grids": scores[:HOME_GRIDS],
            "more_grids": len(scores) > HOME_GRIDS,
        },
    )


@READ_LIST
def search(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    query = request.GET.get("q", "").replace("\x00", "")
    found = selectors.search(user, query)
    result = {
        "query": found.query,
        "kind": found.kind,
        "people": [present_person(p, user=user) for p in found.people],
        "buildings": [present_building(b, user=user) for b in found.buildings],
        "organizations": [present_organization(o, user=user) for o in found.organizations],
    }
    return render(request, "registry/search.html", {"result": result, "q": query})


# ------------------------------------------------------------------------------ drill-down


@READ_LIST
def grid_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    grids = Grid.objects.none()
    if user.reads("ledgers"):
        grids = (
            Grid.objects.visible_to(user)
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


@READ_ONE
def grid_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    grid = access_grid(user, pk)
    if not user.in_scope(grid.code, reads="ledgers"):
        raise Http404
    q = request.GET.get("q", "").replace("\x00", "")
    buildings = selectors.building_list(user, grid=grid.code, q=q)
    return render(
        request,
        "registry/grid_detail.html",
        {"grid": grid, "page": _page_of(request, buildings, present_building), "q": q},
    )


@WRITE_NEW
def building_create(request: HttpRequest) -> HttpResponse:
    form = BuildingForm(request.POST or None, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        building = _run(form, lambda: services.building_create(actor=_user(request), **data))
        if building:
            messages.success(request, _("楼栋已登记,所属网格:%(grid)s") % {"grid": building.grid})
            return redirect("registry:building_detail", building.pk)
    return _form_page(request, form, _("登记楼栋"), reverse("registry:grids"), locate=True)


@READ_ONE
def building_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    building = selectors.access_building(user, pk)
    dwellings = selectors.dwelling_list(user, building=building.pk)
    organizations = building.organizations.filter(retired_on__isnull=True)
    return render(
        request,
        "registry/building_detail.html",
        {
            "building": present_building(building, user=user),
            "page": _page_of(request, dwellings, present_dwelling),
            "organizations": [present_organization(o, user=user) for o in organizations],
        },
    )


@WRITE_ONE
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


@WRITE_ONE
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


@READ_ONE
def dwelling_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    dwelling = selectors.access_dwelling(user, pk)
    households = selectors.household_list(user, dwelling=dwelling.pk)
    residents = selectors.person_list(user, selectors.PersonFilters(dwelling=dwelling.pk)).filter(
        household__isnull=True
    )
    return render(
        request,
        "registry/dwelling_detail.html",
        {
            "dwelling": present_dwelling(dwelling, user=user),
            "households": [present_household(h, user=user) for h in households],
            "residents": [present_person(p, user=user) for p in residents],
        },
    )


@WRITE_ONE
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


@WRITE_ONE
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


@READ_ONE
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    household = selectors.access_household(user, pk)
    members = selectors.person_list(user, selectors.PersonFilters(household=household.pk))
    return render(
        request,
        "registry/household_detail.html",
        {
            "household": present_household(household, user=user),
            "members": [present_person(p, user=user) for p in members],
        },
    )


@WRITE_ONE
@require_POST
def household_set_head(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    household = selectors.access_household(user, pk, for_write=True)
    head_pk = _pk_from_post(request, "head")
    if head_pk is None:
        messages.error(request, _("请选择户主"))
        return redirect("registry:household_detail", household.pk)
    head = selectors.access_person(user, head_pk, for_write=True)
    try:
        services.household_set_head(actor=user, household=household, head=head)
    except ValidationError as exc:
        messages.error(request, "".join(exc.messages))
    else:
        messages.success(request, _("户主已设为%(p)s") % {"p": head.name})
    return redirect("registry:household_detail", household.pk)


@WRITE_ONE
@require_POST
def person_merge(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    person = selectors.access_person(user, pk, for_write=True)
    other_pk = _pk_from_post(request, "other")
    if other_pk is None:
        messages.error(request, _("请选择要合并的记录"))
        return redirect("registry:person_detail", person.pk)
    other = selectors.access_person(user, other_pk, for_write=True)
    try:
        kept = services.person_merge(actor=user, first=person, second=other, request=request)
    except ValidationError as exc:
        messages.error(request, "".join(exc.messages))
        return redirect("registry:person_detail", person.pk)
    messages.success(request, _("已合并重复记录,保留较早登记的记录"))
    return redirect("registry:person_detail", kept.pk)


@WRITE_ONE
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


@WRITE_ONE
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


def _tag_kinds(request: HttpRequest) -> Any:
    kinds = TagKind.objects.filter(retired_on__isnull=True)
    if not sees_special_groups(request.user):
        kinds = kinds.filter(sensitive=False)
    return kinds


@READ_LIST
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
    return render(
        request,
        "registry/person_list.html",
        {
            "page": _page_of(request, people, present_person),
            "filters": filters,
            "residencies": Residency.choices,
            "statuses": PersonStatus.choices,
            "kinds": _tag_kinds(request),
        },
    )


def _person_card(request: HttpRequest, person: Any, **extra: Any) -> dict[str, Any]:
    user = _user(request)
    return {
        "person": present_person(person, user=user),
        "tags": [present_tag(t, user=user) for t in selectors.visible_tags(user, person)],
        "moves": [present_move(m, user=user) for m in selectors.person_moves(user, person)],
        "history": selectors.person_history(person),
        "can_unmask": user.has_perm(UNMASK_PERM),
        "unmask_form": UnmaskForm(),
        "can_tag": user.can_write,
        "duplicates": [present_person(d, user=user) for d in selectors.duplicates_of(user, person)],
        **extra,
    }


@READ_ONE
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.access_person(request.user, pk)
    return render(request, "registry/person_detail.html", _person_card(request, person))


@WRITE_ONE
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.access_person(request.user, pk, for_write=True)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        data = form.changes()
        if _run(form, lambda: services.person_update(actor=_user(request), person=person, **data)):
            messages.success(request, _("已保存"))
            return redirect("registry:person_detail", person.pk)
    back = reverse("registry:person_detail", args=[person.pk])
    return _form_page(request, form, _("修改人员信息 · %(p)s") % {"p": person.name}, back)


@READ_ONE
@require_POST
def person_unmask(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    person = selectors.access_person(user, pk)
    form = UnmaskForm(request.POST)
    values = None
    status = 400
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            values = _run(
                form,
                lambda: services.person_unmask(
                    actor=user, person=person, reason=reason, request=request
                ),
            )
        except services.DisclosureLimitReached as exc:
            form.add_error(None, str(exc))
            status = 429
    shown = present_person(person, user=user, unmasked=values is not None)
    if values:
        status = 200
    if request.htmx:  # type: ignore[attr-defined]
        # htmx swaps only 2xx answers by default; the form with its error is the answer.
        context = {"person": shown, "unmask_form": form, "values": values}
        return render(request, "registry/_unmask.html", context)
    card = _person_card(request, person, unmask_form=form, values=values)
    card["person"] = shown
    return render(request, "registry/person_detail.html", card, status=status)


@WRITE_ONE
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
            if _user(request).in_scope(moved.grid_code, reads="ledgers"):
                return redirect("registry:person_detail", moved.pk)
            return redirect("registry:moves")
    back = reverse("registry:person_detail", args=[person.pk])
    return _form_page(request, form, _("迁出登记 · %(p)s") % {"p": person.name}, back)


@WRITE_ONE
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
    return _form_page(request, form, _("登记死亡 · %(p)s") % {"p": person.name}, back)


@WRITE_ONE
def person_tag_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.access_person(request.user, pk, for_write=True)
    form = TagForm(request.POST or None, kinds=_tag_kinds(request))
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
        request,
        form,
        _("添加人群标签 · %(p)s") % {"p": person.name},
        back,
        tag_kinds=form.kind_list,
    )


@WRITE_ONE
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


@WRITE_ONE
@require_POST
def record_verify(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    if kind not in _VERIFIABLE:
        raise Http404
    access, detail = _VERIFIABLE[kind]
    record = access(request.user, pk, for_write=True)
    services.record_verify(actor=_user(request), record=record)
    # A person's __str__ is the name; say so explicitly rather than rely on it.
    label = getattr(record, "name", "") if kind == "person" else str(record)
    messages.success(request, _("已核实:%(r)s") % {"r": label})
    return redirect(detail, record.pk)


@READ_LIST
def move_list(request: HttpRequest) -> HttpResponse:
    moves = (
        PersonMove.objects.visible_to(request.user)
        .select_related("person", "actor")
        .order_by("-moved_on", "-pk")
    )
    return render(
        request, "registry/move_list.html", {"page": _page_of(request, moves, present_move)}
    )


# --------------------------------------------------------------------------- organisations


@READ_LIST
def organization_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").replace("\x00", "")
    rows = selectors.organization_list(request.user, q=q, kind=request.GET.get("kind", ""))
    return render(
        request,
        "registry/organization_list.html",
        {"page": _page_of(request, rows, present_organization), "q": q},
    )


@READ_ONE
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    org = selectors.access_organization(user, pk)
    return render(
        request, "registry/organization_detail.html", {"org": present_organization(org, user=user)}
    )


def _organization_form(request: HttpRequest, org: Any = None) -> OrganizationForm:
    form = OrganizationForm(request.POST or None, instance=org)
    form.limit_buildings(Building.objects.visible_to(request.user).current())
    if org is not None and org.building_id and not form.is_bound:
        form.initial["building"] = org.building_id
    return form


@WRITE_LIST
def organization_create(request: HttpRequest) -> HttpResponse:
    form = _organization_form(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        org = _run(form, lambda: services.organization_create(actor=_user(request), **data))
        if org:
            messages.success(request, _("组织已登记"))
            return redirect("registry:organization_detail", org.pk)
    return _form_page(request, form, _("登记组织"), reverse("registry:organizations"))


@WRITE_ONE
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


# A city's audit has 25,000 grids (an 8 MB page): beyond this many the page lists the lowest
# scores, and each community leads to its own grids.
AUDIT_GRID_ROWS = 300
AUDIT_WEAKEST = 50


@READ_LIST
def completeness(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    code = selectors.ledger_code(user, request.GET.get("code", ""))
    # Above a community, a street's or wider audit is last night's (auditing a city of 10 M
    # live took 15–18 s); a community's is audited now.
    wide = wider_than_community(user) and above_community(code)
    stored = hooks.stored_grid_audit(user, code) if wide else None
    if stored is not None:
        night, rows = stored
        audit = selectors.rolled_up(rows, LedgerPolicy.current())
    else:
        night, audit = None, selectors.completeness(user, code)
    grids = audit["grids"]
    weakest = len(grids) > AUDIT_GRID_ROWS
    if weakest:
        grids = sorted(grids, key=lambda g: (g.score, g.code))[:AUDIT_WEAKEST]
    # A street or community row above the user's own area holds only their part of it: a
    # worker's "street" is their grid under the street's name, and its links would be 404s.
    widest = 0 if user.sees_everything else min((len(c) for c in user.scope_codes), default=99)
    return render(
        request,
        "registry/completeness.html",
        {
            "audit": audit,
            "show_streets": widest <= LENGTH_BY_LEVEL[Level.STREET],
            "show_communities": widest <= LENGTH_BY_LEVEL[Level.COMMUNITY],
            "code": code,
            "grids": grids,
            "weakest": weakest,
            "grid_total": len(audit["grids"]),
            "night": night,
        },
    )


@READ_LIST
def gap_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    code = selectors.ledger_code(user, request.GET.get("code", ""))
    found = selectors.gaps(user, code)
    found["dwellings_unaccounted"] = [
        present_dwelling(d, user=user) for d in found["dwellings_unaccounted"]
    ]
    found["households_without_head"] = [
        present_household(h, user=user) for h in found["households_without_head"]
    ]
    found["people_incomplete"] = [
        present_person(p, user=user)
        | {"missing_labels": p.missing_labels, "first_missing": p.first_missing}
        for p in found["people_incomplete"]
    ]
    found["stale"] = [present_person(p, user=user) for p in found["stale"]]
    sections = [
        {"kind": kind, "label": label, "rows": found[kind]}
        for kind, label in selectors.GAP_KINDS.items()
    ]
    return render(request, "registry/gap_list.html", {"sections": sections, "code": code})


# A district's or the city's ledger is millions of rows: its counts and audit took 12 s at
# 10 M people, on the page every staff member lands on. They are kept for a few minutes per
# jurisdiction; a community or a grid, edited by the people who look at it, is counted live
# (docs/scaling.md "City-scale run").
WIDE_PANEL_SECONDS = 300


def _panel_data(user: Any, *, wide: bool = False) -> dict[str, Any]:
    # A wide jurisdiction's audit walks millions of records (≈ 12 s for a city of 10 M) and
    # its counts read every person (3–90 s, warm or cold): both come from the nightly
    # snapshot when there is a recent one.
    stored = hooks.stored_audit(user) if wide else None
    if stored is not None:
        counts = stored.counts or selectors.registry_counts(user)
        return {"counts": counts, "audit": stored, "counted_that_night": bool(stored.counts)}
    counts = selectors.registry_counts(user)
    audit = selectors.completeness(user)
    total = selectors.Completeness("", "")
    for row in audit["grids"]:
        total.add(row)
    return {"counts": counts, "audit": total}


def workbench_panel(request: HttpRequest) -> dict[str, Any] | None:
    """The registry's panel on the workbench: headline counts and the audit score."""
    user = _user(request)
    if not user.is_authenticated or not user.reads("ledgers"):
        return None
    if not user.sees_everything and not user.scope_codes:
        return None
    if not wider_than_community(user):
        return {"template": "registry/_workbench.html", "data": _panel_data(user)}
    key = f"registry:workbench:{scope_key(user)}"
    data = cache.get(key)
    if data is None:
        data = {**_panel_data(user, wide=True), "as_of": timezone.localtime()}
        cache.set(key, data, WIDE_PANEL_SECONDS)
    return {"template": "registry/_workbench.html", "data": data}
