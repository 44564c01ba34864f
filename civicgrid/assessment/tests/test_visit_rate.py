"""走访完成率 (visits done vs due): a person under a 7-day visit rule owes a visit 7 days after
their tag started, then 7 days after the last visit made in time, or after the missed day. Each
due visit sits on its due day, belongs to the grid's worker and is done when the person was
visited by that day. A tag that ends before a visit falls due owes nothing."""

from datetime import date, datetime, time, timedelta

from civicgrid.assessment.measures import local_tz
from civicgrid.assessment.models import DailyFact, Indicator, Level, PeriodKind
from civicgrid.assessment.rollup import rollup
from civicgrid.assessment.services import compute_results
from civicgrid.fieldwork.choices import VisitPurpose
from civicgrid.fieldwork.models import Visit
from civicgrid.fieldwork.tests.visit_helpers import care_kind, tagged_person, weekly_rule
from civicgrid.fieldwork.visit_schedule import due_occurrences
from civicgrid.registry.models import PersonTag

OCTOBER = date(2026, 10, 1)


def visit(worker, person, day):
    Visit.objects.create(
        worker=worker,
        grid=person.grid,
        grid_code=person.grid_code,
        person=person,
        household=person.household,
        visited_at=datetime.combine(day, time(10), local_tz()),
        purpose=VisitPurpose.ROUTINE,
        findings="走访",
    )


def test_visits_done_against_due(city, users):
    grid = city.grids["a1_west"]
    kind = care_kind()
    weekly_rule(kind, days=7)
    person = tagged_person(grid, kind, started_on=date(2026, 9, 28))
    visit(users.worker, person, date(2026, 10, 3))  # in time for 10-05; next due 10-10
    visit(users.worker, person, date(2026, 10, 12))  # 10-10 missed; in time for 10-17
    # Then nobody comes: 10-19 and 10-26 are missed (11-02 lies after October).
    ended = tagged_person(
        grid, care_kind("visit-care-2", "空巢老人"), name="王爷爷", started_on=date(2026, 10, 1)
    )
    PersonTag.objects.filter(person=ended).update(ended_on=date(2026, 10, 8))

    got = [(o.day, o.done) for o in due_occurrences(OCTOBER, date(2026, 10, 31))]
    assert got == [
        (date(2026, 10, 5), True),
        (date(2026, 10, 10), False),
        (date(2026, 10, 17), True),
        (date(2026, 10, 19), False),
        (date(2026, 10, 26), False),
    ]

    rollup(OCTOBER, date(2026, 10, 31))
    facts = DailyFact.objects.filter(measure__in=["visits_due", "visits_due_done"])
    assert {f.worker_id for f in facts} == {users.worker.pk}
    assert {f.region_code for f in facts} == {grid.code}
    [worker] = compute_results(PeriodKind.MONTH, OCTOBER, Level.WORKER)
    figure = worker.figures["visit_rate"]
    assert (figure["numerator"], figure["denominator"], figure["value"]) == (2, 5, 40.0)
    grids = {s.key: s for s in compute_results(PeriodKind.MONTH, OCTOBER, Level.GRID)}
    assert grids[grid.code].figures["visit_rate"]["value"] == 40.0
    assert Indicator.objects.get(code="visit_rate").active


def test_rollup_of_one_day_counts_that_day_only(city, users):
    grid = city.grids["a1_west"]
    kind = care_kind()
    weekly_rule(kind, days=7)
    tagged_person(grid, kind, started_on=date(2026, 9, 28))
    day = date(2026, 10, 19)
    rollup(day, day)
    assert list(DailyFact.objects.filter(measure="visits_due").values_list("day", "value")) == [
        (day, 1)
    ]
    assert not DailyFact.objects.filter(measure="visits_due", day=day - timedelta(days=7))


def test_household_type_rule_counts_households(city, users):
    """A rented household under a 30-day household-type rule owes a visit 30 days after it was
    registered, then 30 days after the visit; a visit to the household by then makes it
    done."""
    from civicgrid.fieldwork.choices import HouseholdType
    from civicgrid.fieldwork.models import VisitRule
    from civicgrid.registry.choices import Occupancy
    from civicgrid.registry.models import Household
    from civicgrid.registry.tests.factories import make_building, make_dwelling, make_household

    VisitRule.objects.all().delete()
    VisitRule.objects.create(household_type=HouseholdType.RENTED, interval_days=30)
    grid = city.grids["a1_west"]
    visited, forgotten = (
        make_household(make_dwelling(make_building(grid, f"出租楼{n}号"), "101", occupancy=Occupancy.RENTED))
        for n in (1, 2)
    )  # fmt: skip
    registered = datetime.combine(date(2026, 9, 10), time(9), local_tz())
    Household.objects.filter(pk__in=[visited.pk, forgotten.pk]).update(created_at=registered)
    Visit.objects.create(
        worker=users.worker,
        grid=grid,
        grid_code=grid.code,
        household=visited,
        visited_at=datetime.combine(date(2026, 10, 1), time(10), local_tz()),
        purpose=VisitPurpose.ROUTINE,
        findings="走访",
    )
    got = sorted(
        (o.household_id, o.day, o.done) for o in due_occurrences(OCTOBER, date(2026, 10, 31))
    )
    assert got == [
        (visited.pk, date(2026, 10, 10), True),
        (visited.pk, date(2026, 10, 31), False),  # 30 days after the visit, not yet made
        (forgotten.pk, date(2026, 10, 10), False),
    ]
    rollup(OCTOBER, date(2026, 10, 31))
    [worker] = compute_results(PeriodKind.MONTH, OCTOBER, Level.WORKER)
    assert (
        worker.figures["visit_rate"]["numerator"],
        worker.figures["visit_rate"]["denominator"],
    ) == (1, 3)
