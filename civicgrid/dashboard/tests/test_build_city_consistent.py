"""What ``build_city`` writes is what the application itself would have written: people in
their household's grid, derived columns as ``fill_derived`` computes them, real encryption
with a working blind index, history rows, and case histories the workflow could produce."""

import itertools
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from civicgrid.accounts.models import User
from civicgrid.cases.choices import DONE_STATUSES, STAGE_OF_STATUS, Action, CaseStatus
from civicgrid.cases.models import Case, CaseEvent, CaseNumberSequence
from civicgrid.cases.services import next_case_number
from civicgrid.dashboard.city_scale import build_city
from civicgrid.fieldwork.models import LastHouseholdVisit, LastPersonVisit, Visit
from civicgrid.fieldwork.selectors import due_visits
from civicgrid.geo.index import current_version, grid_index
from civicgrid.registry import identity
from civicgrid.registry.models import Building, Dwelling, Household, Person, PersonTag

NOW = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)


@pytest.fixture
def generated(db: None) -> None:
    report = build_city(people=300, cases=200, grids=20, seed=11, now=NOW)
    assert report.people == 300 and report.cases == 200 and report.grids == 20


def test_people_households_and_buildings_agree_on_their_grid(generated: None) -> None:
    for person in Person.objects.select_related("household", "dwelling", "grid"):
        assert person.grid_code == person.grid.code == person.household.grid_code
        assert person.dwelling_id == person.household.dwelling_id
        assert person.dwelling.grid_code == person.grid_code
    assert not Household.objects.filter(head__isnull=True).exists()
    for household in Household.objects.select_related("head"):
        assert household.head.household_id == household.pk
    assert Dwelling.objects.count() >= Household.objects.count()


def test_buildings_lie_in_their_grid_for_the_located_index(generated: None) -> None:
    assert current_version() > 0
    index = grid_index()
    rows = list(Building.objects.values_list("lng", "lat", "grid_id"))
    lngs, lats, grids = (np.array(column) for column in zip(*rows, strict=True))
    assert (index.locate_many(lngs, lats) == grids).all()


def test_derived_columns_are_those_the_model_computes(generated: None) -> None:
    for person in Person.objects.order_by("pk")[:60]:
        before = {f: getattr(person, f) for f in ("name_initials", "id_number_index",
                  "phone_index", "address_index", "is_party_member", "birth_date", "sex")}  # fmt: skip
        person.fill_derived()
        assert before == {f: getattr(person, f) for f in before}


def test_personal_data_is_encrypted_and_found_by_blind_index(generated: None) -> None:
    person = Person.objects.exclude(phone="").order_by("pk").first()
    assert person is not None
    info = identity.parse_resident_id(person.id_number)  # decrypts to a valid resident ID
    assert (info.birth_date, info.sex) == (person.birth_date, person.sex)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM registry_person WHERE id = %s", [person.pk])
        raw_id, raw_phone = cursor.fetchone()
    assert person.id_number not in raw_id and person.phone not in raw_phone
    found = Person.objects.get(id_number_index=identity.id_number_index(person.id_number))
    assert found.pk == person.pk
    numbers = list(Person.objects.values_list("id_number_index", flat=True))
    assert len(set(numbers)) == len(numbers)


def test_every_row_has_its_creation_history(generated: None) -> None:
    assert Person.history.filter(history_type="+").count() == Person.objects.count()
    assert Household.history.count() == Household.objects.count()
    assert Building.history.count() == Building.objects.count()


def test_case_histories_are_consistent(generated: None) -> None:
    events = defaultdict(list)
    for event in CaseEvent.objects.order_by("at", "pk"):
        events[event.case_id].append(event)
    statuses = set()
    for case in Case.objects.all():
        history = events[case.pk]
        assert history[0].action == Action.REPORT and history[0].at == case.reported_at
        for before, after in itertools.pairwise(history):
            assert before.at < after.at
            assert after.from_status == before.to_status
        assert history[-1].to_status == case.status
        assert case.stage == STAGE_OF_STATUS[case.status]
        assert case.updated_at == history[-1].at <= NOW
        assert (case.closed_at is not None) == (case.status == CaseStatus.CLOSED)
        statuses.add(case.status)
        if case.status not in DONE_STATUSES and case.rule_id:
            assert case.stage_due_at is not None
    # Three years of cases: the old ones are done, the open ones are recent work.
    assert CaseStatus.CLOSED in statuses
    old = Case.objects.filter(reported_at__lt=NOW - timedelta(days=30))
    assert old.count() > 150 and set(old.values_list("status", flat=True)) <= DONE_STATUSES
    open_cases = Case.objects.exclude(status__in=DONE_STATUSES)
    assert open_cases.exists()
    assert not open_cases.filter(reported_at__lt=NOW - timedelta(days=30)).exists()


def test_new_intake_numbers_after_generated_cases(generated: None) -> None:
    latest = Case.objects.order_by("-reported_at").first()
    assert latest is not None
    prefix = latest.number.split("-")[0]
    number = next_case_number(prefix, latest.reported_at)
    assert number != latest.number and not Case.objects.filter(number=number).exists()
    assert CaseNumberSequence.objects.filter(prefix=prefix).exists()


def test_care_tags_and_visits_are_a_field_record_the_app_could_have_made(
    generated: None,
) -> None:
    tags = list(PersonTag.objects.select_related("person", "kind"))
    assert tags and Visit.objects.exists()
    for tag in tags:
        assert tag.grid_code == tag.person.grid_code and tag.started_on <= NOW.date()
        if tag.kind.code == "elderly_alone":
            assert Person.objects.filter(household_id=tag.person.household_id).count() == 1
            assert (NOW.date() - tag.person.birth_date).days >= 70 * 365
    for visit in Visit.objects.select_related("worker", "household"):
        assert visit.grid_code.startswith(tuple(visit.worker.scope_codes))
        assert visit.household.created_at <= visit.visited_at <= NOW
    by_person = Visit.objects.filter(person__isnull=False).values_list("person_id")
    by_household = Visit.objects.values_list("household_id")
    for model, column, visits in (
        (LastPersonVisit, "person_id", by_person),
        (LastHouseholdVisit, "household_id", by_household),
    ):
        latest = dict(visits.annotate(at=Max("visited_at")).order_by())
        assert dict(model.objects.values_list(column, "visited_at")) == latest
    # Most of those under a rule are on time, some are overdue.
    secretary = User.objects.get(username="city_secretary_1")
    due = due_visits(secretary, today=timezone.localdate(NOW))
    overdue = [row for row in due if row.days_overdue > 0]
    assert overdue and len(overdue) < len(due) / 2
