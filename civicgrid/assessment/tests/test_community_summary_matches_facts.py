"""The per-community summary answers every question it is used for exactly as the facts do:
random facts over grids, a street code and a district code, read by viewers of every width."""

import random
from datetime import date, timedelta
from typing import Any

import pytest

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import Department
from civicgrid.assessment import selectors
from civicgrid.assessment.models import CommunityDailyFact, DailyFact
from civicgrid.assessment.rollup import rollup, summarise
from civicgrid.assessment.selectors import daily_series, rate_by, total, totals_by
from civicgrid.cases.models import Category
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers, make_user

START = date(2026, 10, 1)
END = date(2026, 10, 31)
MEASURES = ("reported", "closed", "closed_on_time", "due_to_close", "deferred")


def random_facts(city: TestCity, dept: Department, seed: int) -> None:
    rng = random.Random(seed)
    other = Department.objects.create(code=f"o{seed}", name="水务局", region_code="520102")
    categories = list(Category.objects.filter(parent__isnull=False)[:4])
    places = [g.code for g in city.grids.values()] + [city.street_a.code, city.district.code]
    seen = set()
    rows = []
    for _ in range(300):
        key = (
            START + timedelta(days=rng.randrange(-3, 34)),
            rng.choice(places),
            rng.choice([None, *categories]),
            rng.choice([None, dept, other]),
            rng.choice(MEASURES),
        )
        marker = (key[0], key[1], getattr(key[2], "pk", 0), getattr(key[3], "pk", 0), key[4])
        if marker in seen:
            continue
        seen.add(marker)
        day, code, category, department, measure = key
        rows.append(
            DailyFact(
                day=day,
                region_code=code,
                category=category,
                department=department,
                measure=measure,
                value=rng.randint(1, 9),
            )
        )
    DailyFact.objects.bulk_create(rows)
    summarise()


def answers(user: Any) -> list[Any]:
    out: list[Any] = [
        daily_series(user, "reported", START, END),
        total(user, ["due_to_close", "-deferred"], START, END),
    ]
    for by in ("category", "department", "community", "street", "district"):
        out.append(totals_by(user, "reported", START, END, by=by))
        out.append(rate_by(user, "closed_on_time", ["due_to_close", "-deferred"], START, END, by))
    return out


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_summary_gives_the_facts_answers(
    city: TestCity, users: RoleUsers, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    random_facts(city, users.dept, seed)
    viewers = [
        users.command,  # a street
        users.secretary,  # a community
        users.sysadmin,  # everything
        users.department,  # one department
        make_user("district-command", Role.COMMAND, city.district.code),
        make_user("two-places", Role.COMMAND, city.comm_a1.code, city.street_b.code),
    ]
    summarised = [answers(user) for user in viewers]
    monkeypatch.setattr(selectors, "_summary_for", lambda user: None)
    assert summarised == [answers(user) for user in viewers]
    assert any(summarised[0])  # the street sees something: the comparison is not empty


@pytest.mark.django_db
def test_finer_viewers_read_the_facts(users: RoleUsers) -> None:
    assert selectors._summary_for(users.worker) is None  # a grid worker's own facts
    grid_lead = make_user("grid-lead", Role.COMMAND, "520102001001001")
    assert selectors._summary_for(grid_lead) is None  # a grid is finer than a community
    assert selectors._summary_for(users.command) is not None


@pytest.mark.django_db
def test_the_rollup_writes_the_summary_with_the_facts(city: TestCity, users: RoleUsers) -> None:
    from civicgrid.assessment.tests.history import DAY, handled_case

    for _ in range(2):
        handled_case(
            city.grids["a1_west"].code,
            reporter=users.worker,
            desk=users.secretary,
            command=users.command,
            handler=users.department,
            checker=users.worker,
            dept=users.dept,
        )
    rollup(DAY, DAY)
    closed = CommunityDailyFact.objects.get(measure="closed", day=DAY)
    assert (closed.region_code, closed.department_id, closed.value) == (
        city.comm_a1.code,
        users.dept.pk,
        2,
    )
    rollup(DAY, DAY)  # again: replaced, not added
    assert CommunityDailyFact.objects.filter(measure="closed").count() == 1
