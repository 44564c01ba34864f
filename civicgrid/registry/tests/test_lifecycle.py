from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from shapely.geometry import LineString

from civicgrid.registry import selectors, services
from civicgrid.registry.choices import MoveKind, Occupancy, PersonStatus, Relation
from civicgrid.registry.models import Person, PersonMove, PersonTag, TagKind
from civicgrid.registry.tests.conftest import Ledger, grant
from civicgrid.registry.tests.factories import (
    make_building,
    make_dwelling,
    make_household,
    make_person,
    resident_id,
)
from civicgrid.testing.city import ORIGIN_LAT, ORIGIN_LNG, STEP, TestCity
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db


def test_household_register_sets_head_and_occupancy(users: RoleUsers, city: TestCity) -> None:
    dwelling = make_dwelling(make_building(city.grids["a1_west"]), occupancy=Occupancy.VACANT)
    head = Person(name="赵一", id_number=resident_id(), grid=city.grids["a1_west"])
    household = services.household_register(actor=users.worker, dwelling=dwelling, head=head)
    dwelling.refresh_from_db()
    head.refresh_from_db()
    assert household.head == head
    assert (head.household, head.relation, head.dwelling) == (household, Relation.HEAD, dwelling)
    assert dwelling.occupancy == Occupancy.OWNER


def test_move_out_across_communities(users: RoleUsers, city: TestCity, ledger: Ledger) -> None:
    person = ledger.head
    moved = services.person_move_out(
        actor=users.worker, person=person, moved_on=date(2026, 3, 1), to_grid=city.grids["a2"]
    )
    assert moved.grid_code == city.grids["a2"].code
    assert moved.status == PersonStatus.LIVING
    ledger.household.refresh_from_db()
    assert ledger.household.head is None
    # The receiving community sees the person; the old one no longer does…
    assert Person.objects.visible_to(users.command).filter(pk=person.pk).exists()
    assert not Person.objects.visible_to(users.secretary).filter(pk=person.pk).exists()
    # …but keeps the move log and the history rows.
    move = PersonMove.objects.visible_to(users.secretary).get()
    assert (move.kind, move.from_grid_code) == (MoveKind.OUT, city.grids["a1_west"].code)
    assert person.history.filter(grid_code=city.grids["a1_west"].code).exists()


def test_move_within_community_is_logged_as_within(
    users: RoleUsers, city: TestCity, ledger: Ledger
) -> None:
    target = make_dwelling(make_building(city.grids["a1_east"]))
    services.person_move_out(
        actor=users.cadre, person=ledger.head, moved_on=date(2026, 3, 1), to_dwelling=target
    )
    assert PersonMove.objects.get().kind == MoveKind.WITHIN
    assert Person.objects.get(pk=ledger.head.pk).dwelling == target


def test_move_away_from_the_platform_keeps_the_record(users: RoleUsers, ledger: Ledger) -> None:
    services.person_move_out(
        actor=users.worker, person=ledger.head, moved_on=date(2026, 3, 1), destination="遵义市"
    )
    person = Person.objects.get(pk=ledger.head.pk)
    assert (person.status, person.moved_out_on) == (PersonStatus.MOVED_AWAY, date(2026, 3, 1))
    assert Person.objects.visible_to(users.worker).filter(pk=person.pk).exists()


def test_move_in_finds_existing_person_by_id_number(users: RoleUsers, city: TestCity) -> None:
    # The same record moves when it lies in the actor's jurisdiction (here the cadre's
    # community: from grid a1_east to a1_west). Someone living in another jurisdiction is
    # refused: see test_move_in_other_jurisdiction.py.
    number = resident_id()
    elsewhere = make_person(city.grids["a1_east"], name="孙五", id_number=number)
    dwelling = make_dwelling(make_building(city.grids["a1_west"]))
    person = services.person_move_in(
        actor=users.cadre,
        dwelling=dwelling,
        moved_on=date(2026, 4, 1),
        name="孙五",
        id_number=number,
    )
    assert person.pk == elsewhere.pk
    assert person.grid_code == city.grids["a1_west"].code
    assert PersonMove.objects.get().from_grid_code == city.grids["a1_east"].code
    assert PersonMove.objects.visible_to(users.worker).count() == 1


def test_mark_deceased_ends_tags_and_headship(users: RoleUsers, ledger: Ledger) -> None:
    kind = TagKind.objects.get(code="elderly_alone")
    services.person_tag_add(actor=users.worker, person=ledger.head, kind=kind)
    services.person_mark_deceased(actor=users.worker, person=ledger.head, died_on=date(2026, 2, 2))
    ledger.household.refresh_from_db()
    assert ledger.household.head is None
    assert PersonTag.objects.get().ended_on == date(2026, 2, 2)
    assert Person.objects.get(pk=ledger.head.pk).status == PersonStatus.DECEASED


def test_merge_keeps_the_older_record(users: RoleUsers, city: TestCity) -> None:
    number = resident_id()
    older = make_person(city.grids["a1_west"], name="周六", id_number=number, phone="13811112222")
    services.person_move_out(
        actor=users.worker, person=older, moved_on=date(2025, 1, 1), destination="外地"
    )
    dwelling = make_dwelling(make_building(city.grids["a1_west"]))
    newer = make_person(city.grids["a1_west"], name="周六", id_number=number, dwelling=dwelling)
    kept = services.person_merge(actor=users.worker, first=newer, second=older)
    newer.refresh_from_db()
    assert kept.pk == older.pk
    assert (kept.status, kept.dwelling, kept.phone) == (
        PersonStatus.LIVING,
        dwelling,
        "13811112222",
    )
    assert (newer.status, newer.merged_into_id, newer.retired_on) == (
        PersonStatus.MERGED,
        older.pk,
        timezone.localdate(),
    )
    assert Person.objects.filter(pk=newer.pk).exists()  # retired, not deleted


def test_merge_refuses_different_numbers(users: RoleUsers, city: TestCity) -> None:
    a = make_person(city.grids["a1_west"])
    b = make_person(city.grids["a1_west"])
    with pytest.raises(ValidationError):
        services.person_merge(actor=users.worker, first=a, second=b)


def test_second_living_person_with_same_number_is_refused(users: RoleUsers, ledger: Ledger) -> None:
    with pytest.raises(ValidationError) as caught:
        services.person_create(
            actor=users.worker, grid=ledger.head.grid, name="冒名", id_number=ledger.head.id_number
        )
    assert "迁入登记" in caught.value.message_dict["id_number"][0]


def test_verify_records_date_and_user(users: RoleUsers, ledger: Ledger) -> None:
    services.record_verify(actor=users.worker, record=ledger.building)
    ledger.building.refresh_from_db()
    assert ledger.building.verified_by == users.worker
    assert ledger.building.last_verified_on == timezone.localdate()


def test_sensitive_tag_needs_permission(users: RoleUsers, ledger: Ledger) -> None:
    kind = TagKind.objects.get(code="mental_disorder")
    with pytest.raises(PermissionDenied):
        services.person_tag_add(
            actor=users.worker, person=ledger.head, kind=kind, attributes={"risk_level": 2}
        )
    grant(users.secretary, "view_special_groups")
    with pytest.raises(ValidationError):
        services.person_tag_add(
            actor=users.secretary, person=ledger.head, kind=kind, attributes={"risk_level": 7}
        )
    tag = services.person_tag_add(
        actor=users.secretary, person=ledger.head, kind=kind, attributes={"risk_level": 2}
    )
    assert tag.attributes == {"risk_level": 2}


def test_special_group_tags_are_invisible_without_permission(
    users: RoleUsers, ledger: Ledger, client: Any
) -> None:
    grant(users.secretary, "view_special_groups")
    services.person_tag_add(
        actor=users.secretary,
        person=ledger.head,
        kind=TagKind.objects.get(code="community_correction"),
        attributes={"correction_type": "parole"},
    )
    services.person_tag_add(
        actor=users.worker, person=ledger.head, kind=TagKind.objects.get(code="veteran")
    )
    assert [t.kind.code for t in selectors.visible_tags(users.worker, ledger.head)] == ["veteran"]
    client.force_login(users.worker)
    body = client.get(f"/registry/people/{ledger.head.pk}/").content.decode()
    assert "退役军人" in body and "社区矫正" not in body and "假释" not in body
    assert client.get("/registry/people/?tag=community_correction").status_code == 403
    client.force_login(users.secretary)
    body = client.get(f"/registry/people/{ledger.head.pk}/").content.decode()
    assert "社区矫正对象" in body and "假释" in body


def test_search_by_initials_id_and_phone(users: RoleUsers, ledger: Ledger, city: TestCity) -> None:
    make_person(city.grids["b1"], name="王建军")  # outside the worker's grid
    assert [p.name for p in selectors.search(users.worker, "wjg").people] == ["王建国"]
    assert selectors.search(users.worker, ledger.head.id_number).people == [ledger.head]
    assert selectors.search(users.worker, "138 1234 5678").people == [ledger.head]
    assert selectors.search(users.worker, "王建").people == [ledger.head]
    assert selectors.search(users.worker, "多福巷").buildings == [ledger.building]
    assert selectors.search(users.outsider, ledger.head.id_number).people == []


def test_completeness_finds_planted_gaps(users: RoleUsers, city: TestCity, ledger: Ledger) -> None:
    grid = city.grids["a1_west"]
    make_building(grid, "空楼1号")  # building without dwellings
    make_dwelling(ledger.building, "102", occupancy=Occupancy.RENTED)  # no household, not vacant
    make_dwelling(ledger.building, "103", occupancy=Occupancy.VACANT)  # fine: vacant
    make_household(make_dwelling(ledger.building, "104"))  # household without head
    make_person(grid, name="缺项", ethnicity="")  # missing required fields
    recent = timezone.localdate() - timedelta(days=10)
    Person.objects.filter(pk=ledger.head.pk).update(
        last_verified_on=recent,
        ethnicity="汉族",
        education="college",
        marital_status="married",
        political_status="masses",
    )
    audit = selectors.completeness(users.cadre, city.comm_a1.code)
    row = next(r for r in audit["grids"] if r.code == grid.code)
    assert row.buildings_without_dwellings == 1
    assert row.dwellings_unaccounted == 1
    assert row.households_without_head == 1
    assert row.people_incomplete == 1
    assert row.people == 2
    # Everything except the verified head is stale: 2 buildings, 4 dwellings, 2 households, 1 person.
    assert row.stale == 9
    community = audit["communities"][0]
    assert community.code == city.comm_a1.code and community.gaps == row.gaps
    assert row.size_problem == "too_few_households"
    gaps = selectors.gaps(users.worker, grid.code)
    assert [b.address for b in gaps["buildings_without_dwellings"]] == ["空楼1号"]
    assert [p.name for p in gaps["people_incomplete"]] == ["缺项"]


def test_completeness_query_count_is_bounded(
    users: RoleUsers, city: TestCity, ledger: Ledger, django_assert_num_queries: Any
) -> None:
    users.sysadmin.scope_codes  # noqa: B018 - load the scopes outside the budget
    with django_assert_num_queries(8):
        selectors.completeness(users.sysadmin, "5201")


def test_grid_split_relocates_buildings_and_their_people(users: RoleUsers, city: TestCity) -> None:
    from civicgrid.geo.services import grid_split

    grid = city.grids["a1_west"]
    north = make_building(grid, "北楼")
    north.lat, north.lng = ORIGIN_LAT + STEP * 0.8, ORIGIN_LNG + STEP * 0.5
    north.save()
    south = make_building(grid, "南楼")
    south.lat, south.lng = ORIGIN_LAT + STEP * 0.2, ORIGIN_LNG + STEP * 0.5
    south.save()
    household = make_household(make_dwelling(south))
    person = make_person(grid, household=household, dwelling=household.dwelling)
    mid = ORIGIN_LAT + STEP / 2
    cut = LineString([(ORIGIN_LNG - STEP, mid), (ORIGIN_LNG + 2 * STEP, mid)])
    pieces = grid_split(grid=grid, cutter=cut, actor=users.sysadmin)
    north_grid, south_grid = pieces  # sorted north first
    north.refresh_from_db()
    person.refresh_from_db()
    household.refresh_from_db()
    assert north.grid == north_grid
    assert (person.grid, person.grid_code) == (south_grid, south_grid.code)
    assert household.grid_code == south_grid.code


def test_new_head_replaces_the_old_one(users: RoleUsers, ledger: Ledger) -> None:
    spouse = services.person_create(
        actor=users.worker, household=ledger.household, name="李芳", relation=Relation.SPOUSE
    )
    services.person_update(actor=users.worker, person=spouse, relation=Relation.HEAD)
    ledger.household.refresh_from_db()
    ledger.head.refresh_from_db()
    assert ledger.household.head == spouse
    assert ledger.head.relation == ""
