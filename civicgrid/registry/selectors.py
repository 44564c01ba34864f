"""Reads of the ledgers: single objects by jurisdiction, lists, search, completeness."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from civicgrid.core.scoping import access_object, starts_with_q
from civicgrid.geo.models import Grid, Region
from civicgrid.geo.selectors import above_community
from civicgrid.registry.choices import Occupancy, PersonStatus
from civicgrid.registry.identity import id_number_index, phone_index
from civicgrid.registry.models import (
    Building,
    Dwelling,
    Household,
    LedgerPolicy,
    Organization,
    Person,
    PersonMove,
    PersonTag,
    RequiredField,
)
from civicgrid.registry.querysets import sees_special_groups

# A list row names its grid; the grid's polygon (kilobytes of GeoJSON) is never shown there
# (docs/architecture.md "City scale").
LIST_DEFERRED = ("grid__geometry",)

# -------------------------------------------------------------------------- single objects


def access_building(user: Any, pk: Any, *, for_write: bool = False) -> Building:
    rows = Building.objects.select_related("grid", "verified_by")
    return access_object(rows, user, pk, for_write=for_write)


def access_dwelling(user: Any, pk: Any, *, for_write: bool = False) -> Dwelling:
    rows = Dwelling.objects.select_related("building", "grid", "verified_by")
    return access_object(rows, user, pk, for_write=for_write)


def access_household(user: Any, pk: Any, *, for_write: bool = False) -> Household:
    rows = Household.objects.select_related("dwelling__building", "grid", "head", "verified_by")
    return access_object(rows, user, pk, for_write=for_write)


def access_person(user: Any, pk: Any, *, for_write: bool = False) -> Person:
    rows = Person.objects.select_related(
        "grid", "household", "dwelling__building", "verified_by", "merged_into"
    )
    return access_object(rows, user, pk, for_write=for_write)


def access_organization(user: Any, pk: Any, *, for_write: bool = False) -> Organization:
    rows = Organization.objects.select_related("grid", "building", "verified_by")
    return access_object(rows, user, pk, for_write=for_write)


def access_tag(user: Any, pk: Any, *, for_write: bool = False) -> PersonTag:
    return access_object(
        PersonTag.objects.select_related("kind", "person"), user, pk, for_write=for_write
    )


def ledger_code(user: Any, code: str = "") -> str:
    """The division or grid code a summary page works on: ``code`` if it lies in the user's
    ledger jurisdiction (404 otherwise, as for a missing one), else the widest of their own
    codes (``""`` for whoever sees everything)."""
    if code:
        if not user.in_scope(code, reads="ledgers"):
            raise Http404
        return code
    if not user.reads("ledgers"):
        raise Http404
    if user.sees_everything:
        return ""
    codes = user.scope_codes
    if not codes:
        raise Http404
    return str(min(codes, key=len))


# ---------------------------------------------------------------------------------- lists


# A base map at street level shows a few hundred buildings; more is a district zoomed out.
BUILDING_POINTS_MAX = 2000


def building_points(
    user: Any, *, west: float, south: float, east: float, north: float
) -> tuple[list[dict[str, Any]], bool]:
    """Current buildings of the user's jurisdiction inside a box, as GeoJSON points with the
    building's name (or address): what the offline base map draws (geo/basemap.py)."""
    rows = list(
        Building.objects.visible_to(user)
        .current()
        .filter(lat__gte=south, lat__lte=north, lng__gte=west, lng__lte=east)
        .order_by("pk")
        .values_list("pk", "name", "address", "lat", "lng")[: BUILDING_POINTS_MAX + 1]
    )
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lng, lat]},
            "properties": {"id": pk, "name": name or address},
        }
        for pk, name, address, lat, lng in rows[:BUILDING_POINTS_MAX]
    ]
    return features, len(rows) > BUILDING_POINTS_MAX


def building_list(user: Any, *, grid: str = "", q: str = "") -> QuerySet[Building]:
    rows = (
        Building.objects.visible_to(user)
        .current()
        .select_related("grid")
        .defer(*LIST_DEFERRED)
        .annotate(dwelling_count=Count("dwellings", filter=Q(dwellings__retired_on__isnull=True)))
    )
    if grid:
        rows = rows.filter(starts_with_q("grid_code", grid))
    if q:
        rows = rows.filter(address__contains=q)
    return rows.order_by("grid_code", "address")


def dwelling_list(
    user: Any, *, building: int | None = None, occupancy: str = ""
) -> QuerySet[Dwelling]:
    rows = (
        Dwelling.objects.visible_to(user)
        .current()
        .select_related("building", "grid")
        .defer(*LIST_DEFERRED)
    )
    if building:
        rows = rows.filter(building_id=building)
    if occupancy:
        rows = rows.filter(occupancy=occupancy)
    return rows.annotate(
        household_count=Count("households", filter=Q(households__retired_on__isnull=True))
    ).order_by("building_id", "unit", "floor", "room")


def household_list(
    user: Any, *, dwelling: int | None = None, kind: str = ""
) -> QuerySet[Household]:
    rows = (
        Household.objects.visible_to(user)
        .current()
        .select_related("dwelling__building", "head", "grid")
        .defer(*LIST_DEFERRED)
        .annotate(member_count=Count("members", filter=Q(members__status=PersonStatus.LIVING)))
    )
    if dwelling:
        rows = rows.filter(dwelling_id=dwelling)
    if kind:
        rows = rows.filter(kind=kind)
    return rows.order_by("grid_code", "number", "pk")


@dataclass
class PersonFilters:
    grid: str = ""
    residency: str = ""
    status: str = PersonStatus.LIVING
    household: int | None = None
    dwelling: int | None = None
    tag: str = ""
    party_member: bool | None = None


class SpecialGroupFilterRefused(PermissionError):
    """Filtering by a sensitive tag without the special-group permission."""


def person_list(user: Any, filters: PersonFilters | None = None) -> QuerySet[Person]:
    f = filters or PersonFilters()
    rows = (
        Person.objects.visible_to(user)
        .select_related("household", "dwelling__building", "grid")
        .defer(*LIST_DEFERRED)
    )
    if f.status:
        rows = rows.filter(status=f.status)
    if f.grid:
        rows = rows.filter(starts_with_q("grid_code", f.grid))
    if f.residency:
        rows = rows.filter(residency=f.residency)
    if f.household:
        rows = rows.filter(household_id=f.household)
    if f.dwelling:
        rows = rows.filter(dwelling_id=f.dwelling)
    if f.party_member is not None:
        rows = rows.filter(is_party_member=f.party_member)
    if f.tag:
        from civicgrid.registry.models import TagKind

        kind = TagKind.objects.filter(code=f.tag).first()
        if kind is not None and kind.sensitive and not sees_special_groups(user):
            raise SpecialGroupFilterRefused(f.tag)
        rows = rows.with_tag_kind(user, f.tag)
    return rows.order_by("grid_code", "name", "pk")


def organization_list(
    user: Any, *, grid: str = "", kind: str = "", q: str = ""
) -> QuerySet[Organization]:
    rows = (
        Organization.objects.visible_to(user)
        .current()
        .select_related("grid", "building")
        .defer(*LIST_DEFERRED)
    )
    if grid:
        rows = rows.filter(starts_with_q("grid_code", grid))
    if kind:
        rows = rows.filter(kind=kind)
    if q:
        rows = rows.filter(Q(name__contains=q) | Q(address__contains=q) | Q(uscc=q.upper()))
    return rows.order_by("grid_code", "name")


def visible_tags(user: Any, person: Person) -> list[PersonTag]:
    """The person's tags the user may see (special groups only with their permission)."""
    return list(PersonTag.objects.visible_to(user).filter(person=person).select_related("kind"))


def duplicates_of(user: Any, person: Person) -> list[Person]:
    """Other current records with the same ID number that the user may see (to merge)."""
    if not person.id_number_index or person.retired_on is not None:
        return []
    return list(
        Person.objects.visible_to(user)
        .current()
        .filter(id_number_index=person.id_number_index)
        .exclude(pk=person.pk)
        .select_related("grid")
    )


def person_moves(user: Any, person: Person) -> list[PersonMove]:
    return list(PersonMove.objects.visible_to(user).filter(person=person).select_related("actor"))


def person_history(person: Person, limit: int = 30) -> list[dict[str, Any]]:
    """Field-level changes from simple-history, newest first; PII fields are named, never
    shown (they would need unmasking)."""
    from civicgrid.registry.masking import PII_FIELDS

    records = list(
        person.history.select_related("history_user").order_by("-history_date")[: limit + 1]
    )
    labels = {f.name: str(f.verbose_name) for f in Person._meta.fields}
    out: list[dict[str, Any]] = []
    for i, newer in enumerate(records[:limit]):
        older = records[i + 1] if i + 1 < len(records) else None
        changes: list[dict[str, Any]] = []
        if older is not None:
            for change in newer.diff_against(older).changes:
                if change.field in ("updated_at", "name_initials") or change.field.endswith(
                    "_index"
                ):
                    continue
                hidden = change.field in PII_FIELDS
                changes.append(
                    {
                        "field": labels.get(change.field, change.field),
                        "old": "" if hidden else str(change.old or ""),
                        "new": "" if hidden else str(change.new or ""),
                        "hidden": hidden,
                    }
                )
        out.append(
            {
                "at": newer.history_date,
                "user": newer.history_user,
                "type": newer.get_history_type_display(),
                "changes": changes,
            }
        )
    return out


# ---------------------------------------------------------------------------------- search


ID_LIKE = re.compile(r"^\d{6,17}[\dXx]$")
PHONE_LIKE = re.compile(r"^\+?\d{7,15}$")


@dataclass
class SearchResult:
    query: str
    kind: str  # "id_number" | "phone" | "initials" | "text"
    people: list[Person] = field(default_factory=list)
    buildings: list[Building] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)


def _initials_q(initials: str) -> Q:
    """Initials starting with ``initials`` (lower-case ASCII letters), as an index range plus
    the exact test: SQLite cannot range-scan ``LIKE 'zs%'`` (docs/architecture.md "City
    scale"); the range alone is exact for lower-case letters, the LIKE keeps it exact for any
    other character an initials column might hold."""
    upper = initials[:-1] + chr(ord(initials[-1]) + 1)
    return Q(
        name_initials__gte=initials, name_initials__lt=upper, name_initials__startswith=initials
    )


def search(user: Any, query: str, limit: int = 30) -> SearchResult:
    """One box for the whole registry, inside the user's jurisdiction: an exact ID number or
    phone (through their blind indexes), pinyin initials, or part of a name or address."""
    q = "".join(query.split())
    people = (
        Person.objects.visible_to(user)
        .current()
        .select_related("grid", "dwelling__building")
        .defer(*LIST_DEFERRED)
    )
    if not q:
        return SearchResult(query=q, kind="text")
    if len(q) == 18 and ID_LIKE.match(q):
        return SearchResult(
            q, "id_number", people=list(people.filter(id_number_index=id_number_index(q))[:limit])
        )
    if PHONE_LIKE.match(q):
        by_phone = list(people.filter(phone_index=phone_index(q))[:limit])
        if by_phone or not ID_LIKE.match(q):
            return SearchResult(q, "phone", people=by_phone)
    if q.isascii() and q.isalpha():
        # Read in the order of the initials index (one range, no sort of every match in the
        # jurisdiction), shown in ledger order (docs/architecture.md "City scale").
        found = people.filter(_initials_q(q.lower()))
        found = found.order_by("name_initials", "grid_code", "pk")[:limit]
        return SearchResult(
            q, "initials", people=sorted(found, key=lambda p: (p.grid_code, p.name, p.pk))
        )
    buildings = Building.objects.visible_to(user).current().select_related("grid")
    buildings = buildings.defer(*LIST_DEFERRED)
    orgs = Organization.objects.visible_to(user).current().select_related("grid")
    orgs = orgs.defer(*LIST_DEFERRED)
    return SearchResult(
        q,
        "text",
        people=list(people.filter(Q(name__contains=q) | Q(former_name__contains=q))[:limit]),
        buildings=list(buildings.filter(Q(address__contains=q) | Q(name__contains=q))[:limit]),
        organizations=list(orgs.filter(Q(name__contains=q) | Q(address__contains=q))[:limit]),
    )


# ------------------------------------------------------------------------------ summaries


# The headline counts of the ledger (what the registry home and the workbench panel show):
# each ledger's rows in the jurisdiction, and of the people living here the floating ones and
# the party members. ``registry_counts`` totals them now; ``registry_counts_by_grid`` gives
# them per grid for the nightly snapshot a city's workbench reads.
HEADLINE_COUNTS = (
    "buildings",
    "dwellings",
    "households",
    "people",
    "floating",
    "party_members",
    "organizations",
)


def _headline_sources(user: Any) -> list[tuple[QuerySet[Any], dict[str, Count]]]:
    people = {
        "people": Count("id"),
        "floating": Count("id", filter=Q(residency="floating")),
        "party_members": Count("id", filter=Q(is_party_member=True)),
    }
    return [
        (Building.objects.visible_to(user).current(), {"buildings": Count("id")}),
        (Dwelling.objects.visible_to(user).current(), {"dwellings": Count("id")}),
        (Household.objects.visible_to(user).current(), {"households": Count("id")}),
        (Person.objects.visible_to(user).living_here(), people),
        (Organization.objects.visible_to(user).current(), {"organizations": Count("id")}),
    ]


def registry_counts(user: Any) -> dict[str, int]:
    """Headline counts for the registry home, in one query per ledger."""
    counts: dict[str, int] = {}
    for rows, figures in _headline_sources(user):
        counts |= rows.order_by().aggregate(**figures)
    return counts


def registry_counts_by_grid(user: Any) -> dict[str, dict[str, int]]:
    """``registry_counts`` per grid code ({code: counts}, a figure missing where it is 0), in
    one grouped query per ledger."""
    by_grid: dict[str, dict[str, int]] = {}
    for rows, figures in _headline_sources(user):
        for row in rows.order_by().values("grid_code").annotate(**figures):
            by_grid.setdefault(row.pop("grid_code"), {}).update(row)
    return by_grid


# -------------------------------------------------------------------------- completeness


def completeness_score(checks: int, gaps: int) -> int:
    """台账完整度得分: the share of checks passed, in whole percent (0 with nothing to check)."""
    if not checks:
        return 0
    return round(100 * (checks - gaps) / checks)


# What the audit counts per grid: everything else (gaps, checks, score, the size check) is
# worked out from these, so a stored grid row holding them is the live row.
AUDIT_COUNTS = (
    "buildings",
    "buildings_without_dwellings",
    "dwellings",
    "dwellings_unaccounted",
    "households",
    "households_without_head",
    "people",
    "people_incomplete",
    "stale",
)


@dataclass
class Completeness:
    code: str
    name: str
    buildings: int = 0
    buildings_without_dwellings: int = 0
    dwellings: int = 0
    dwellings_unaccounted: int = 0  # neither vacant nor occupied by a household
    households: int = 0
    households_without_head: int = 0
    people: int = 0
    people_incomplete: int = 0
    stale: int = 0  # records not verified within the policy's days
    households_min: int = 0
    households_max: int = 0
    people_max: int = 0

    @property
    def gaps(self) -> int:
        return (
            self.buildings_without_dwellings
            + self.dwellings_unaccounted
            + self.households_without_head
            + self.people_incomplete
            + self.stale
        )

    @property
    def checks(self) -> int:
        # Each record is checked twice: its own gap (see above) and whether it is verified.
        return 2 * (self.buildings + self.dwellings + self.households + self.people)

    @property
    def score(self) -> int:
        return completeness_score(self.checks, self.gaps)

    @property
    def size_problem(self) -> str:
        """The grid-size check (only meaningful for a single grid)."""
        if len(self.code) != 15:
            return ""
        if self.households < self.households_min:
            return "too_few_households"
        if self.households > self.households_max:
            return "too_many_households"
        if self.people > self.people_max:
            return "too_many_people"
        return ""

    def add(self, other: Completeness) -> None:
        for name in AUDIT_COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def required_person_fields() -> list[RequiredField]:
    """The active required fields (RequiredField rows) that exist on Person, in the order of
    the person form, so "缺 民族、文化程度" reads like the form."""
    order = {f.name: i for i, f in enumerate(Person._meta.concrete_fields)}
    rows = RequiredField.objects.filter(active=True)
    return sorted((r for r in rows if r.field_name in order), key=lambda r: order[r.field_name])


def required_person_q(fields: list[RequiredField] | None = None) -> Q:
    """People missing any field the admins marked as required."""
    missing = Q(pk__in=[])
    for required in required_person_fields() if fields is None else fields:
        model_field = Person._meta.get_field(required.field_name)
        if model_field.is_relation or getattr(model_field, "null", False):
            missing |= Q(**{f"{required.field_name}__isnull": True})
        else:
            missing |= Q(**{required.field_name: ""})
    return missing


def missing_fields(person: Person, fields: list[RequiredField]) -> list[RequiredField]:
    """The required fields this (already loaded) person leaves empty; reads only the row's
    own columns, so listing many people adds no query."""
    attnames = {f.name: f.attname for f in Person._meta.concrete_fields}
    return [r for r in fields if getattr(person, attnames[r.field_name]) in (None, "")]


def _stale_q(cutoff: Any) -> Q:
    return Q(last_verified_on__isnull=True) | Q(last_verified_on__lt=cutoff)


def completeness(user: Any, code: str = "") -> dict[str, Any]:
    """Completeness audit of what ``user`` may see under ``code`` (``""``: all of it): one row
    per current grid, rolled up to communities and streets. Every count starts from
    ``visible_to(user)``. Seven queries whatever the size (aggregates, no row loops)."""
    policy = LedgerPolicy.current()
    cutoff = timezone.localdate() - timedelta(days=policy.stale_after_days)
    stale = _stale_q(cutoff)
    if not user.reads("ledgers"):
        grids: list[Grid] = []
    else:
        grids = list(
            Grid.objects.visible_to(user).current().filter(code__startswith=code).order_by("code")
        )
    rows = {
        g.code: Completeness(
            g.code,
            g.name,
            households_min=policy.households_min,
            households_max=policy.households_max,
            people_max=policy.people_max,
        )
        for g in grids
    }

    def fill(queryset: Any, **columns: Any) -> None:
        visible = queryset.visible_to(user).filter(grid_code__startswith=code)
        for item in visible.values("grid_code").annotate(**columns):
            row = rows.get(item.pop("grid_code"))
            if row is None:
                continue
            for name, value in item.items():
                if name == "stale":
                    row.stale += value
                else:
                    setattr(row, name, value)

    live_dwellings = Dwelling.objects.filter(building=OuterRef("pk"), retired_on__isnull=True)
    fill(
        Building.objects.current().annotate(has_dwelling=Exists(live_dwellings)),
        buildings=Count("id"),
        buildings_without_dwellings=Count("id", filter=Q(has_dwelling=False)),
        stale=Count("id", filter=stale),
    )
    live_households = Household.objects.filter(dwelling=OuterRef("pk"), retired_on__isnull=True)
    fill(
        Dwelling.objects.current().annotate(occupied=Exists(live_households)),
        dwellings=Count("id"),
        dwellings_unaccounted=Count(
            "id", filter=Q(occupied=False) & ~Q(occupancy=Occupancy.VACANT)
        ),
        stale=Count("id", filter=stale),
    )
    fill(
        Household.objects.current(),
        households=Count("id"),
        households_without_head=Count("id", filter=Q(head__isnull=True)),
        stale=Count("id", filter=stale),
    )
    fill(
        Person.objects.living_here(),
        people=Count("id"),
        people_incomplete=Count("id", filter=required_person_q()),
        stale=Count("id", filter=stale),
    )
    return rolled_up(list(rows.values()), policy)


def rolled_up(grids: list[Completeness], policy: LedgerPolicy) -> dict[str, Any]:
    """The audit's answer from its grid rows (in code order): the rows with their communities
    and streets summed, each named."""
    prefixes = {row.code[:length] for row in grids for length in (9, 12)}
    names = {r.code: r.short_name for r in Region.objects.filter(code__in=prefixes)}
    communities: dict[str, Completeness] = {}
    streets: dict[str, Completeness] = {}
    for row in grids:
        for level, length in ((communities, 12), (streets, 9)):
            key = row.code[:length]
            if key not in level:
                level[key] = Completeness(key, names.get(key, key))
            level[key].add(row)
    return {
        "policy": policy,
        "grids": grids,
        "communities": list(communities.values()),
        "streets": list(streets.values()),
    }


GAP_KINDS = {
    "buildings_without_dwellings": "楼栋未登记房屋",
    "dwellings_unaccounted": "房屋既非空置也无住户",
    "households_without_head": "住户未指定户主",
    "people_incomplete": "人口信息缺项",
    "stale": "超期未核实",
}


def gaps(user: Any, code: str, limit: int = 50) -> dict[str, list[Any]]:
    """The concrete records behind each gap count, for the page where a grid worker fixes
    them (a bounded number per kind; one query per kind)."""
    policy = LedgerPolicy.current()
    cutoff = timezone.localdate() - timedelta(days=policy.stale_after_days)
    live_dwellings = Dwelling.objects.filter(building=OuterRef("pk"), retired_on__isnull=True)
    live_households = Household.objects.filter(dwelling=OuterRef("pk"), retired_on__isnull=True)
    buildings = Building.objects.visible_to(user).current().filter(grid_code__startswith=code)
    dwellings = Dwelling.objects.visible_to(user).current().filter(grid_code__startswith=code)
    households = Household.objects.visible_to(user).current().filter(grid_code__startswith=code)
    people = Person.objects.visible_to(user).living_here().filter(grid_code__startswith=code)
    # Above a community (a street's millions of records) each kind is read in its list's
    # place order, which an index gives, and stops at ``limit``; sorting every gap of a city
    # by name or date took 12–30 s. A community's or a grid's keep the orders a worker uses.
    wide = above_community(code)
    by_name: tuple[str, ...] = ("grid_code", "name", "pk") if wide else ("name",)
    oldest: tuple[str, ...] = ("grid_code", "name", "pk") if wide else ("last_verified_on", "name")
    required = required_person_fields()
    incomplete = list(people.filter(required_person_q(required)).order_by(*by_name)[:limit])
    for person in incomplete:
        missing = missing_fields(person, required)
        person.missing_labels = [r.label for r in missing]
        # The edit link scrolls to the first of them (a long form on a phone).
        person.first_missing = missing[0].field_name if missing else ""
    return {
        "buildings_without_dwellings": list(
            buildings.filter(~Exists(live_dwellings)).order_by(
                *(("grid_code", "address") if wide else ("address",))
            )[:limit]
        ),
        "dwellings_unaccounted": list(
            dwellings.filter(~Exists(live_households))
            .exclude(occupancy=Occupancy.VACANT)
            .order_by(*(("grid_code", "pk") if wide else ("building_id", "unit", "floor", "room")))
            .select_related("building")[:limit]
        ),
        "households_without_head": list(
            households.filter(head__isnull=True).select_related("dwelling__building")[:limit]
        ),
        "people_incomplete": incomplete,
        "stale": list(people.filter(_stale_q(cutoff)).order_by(*oldest)[:limit]),
    }
