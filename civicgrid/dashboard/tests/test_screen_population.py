"""The population panel: aggregates only, small cells withheld, special groups only for those
allowed to see them."""

import json
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission

from civicgrid.dashboard.screen import screen_data
from civicgrid.registry.choices import Residency, Sex
from civicgrid.registry.models import PersonTag, TagKind
from civicgrid.registry.tests.factories import make_person
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers

NOW = datetime(2026, 11, 27, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def people(city: TestCity) -> list[Any]:
    grid = city.grids["a1_west"]
    made = []
    # Seven women born in 1990 (age 36: band 35-39), two men born in 2000 (band 25-29),
    # three floating residents among them; one person in street b who is not ours.
    for i in range(7):
        made.append(
            make_person(grid, f"李秀{i}", id_number="", sex=Sex.FEMALE, birth_date=date(1990, 3, 1))
        )
    for i in range(2):
        made.append(
            make_person(
                grid,
                f"王强{i}",
                id_number="",
                sex=Sex.MALE,
                birth_date=date(2000, 5, 1),
                residency=Residency.FLOATING,
            )
        )
    made.append(
        make_person(
            grid,
            "赵流",
            id_number="",
            sex=Sex.FEMALE,
            birth_date=date(1990, 6, 1),
            residency=Residency.FLOATING,
        )
    )
    # Two foreigners without a birth date: a second small cell in each breakdown, so no shown
    # cell needs withholding to protect the first (see test_screen_population_complementary).
    for i in range(2):
        made.append(make_person(grid, f"外籍{i}", id_number="", residency=Residency.FOREIGN))
    make_person(city.grids["b1"], "外街", id_number="", sex=Sex.MALE, birth_date=date(1990, 1, 1))
    elderly = TagKind.objects.get(code="elderly_alone")
    drugs = TagKind.objects.get(code="drug_user")
    for person in made[:6]:
        PersonTag.objects.create(
            person=person, kind=elderly, grid=grid, started_on=date(2026, 1, 1)
        )
    PersonTag.objects.create(person=made[0], kind=drugs, grid=grid, started_on=date(2026, 1, 1))
    return made


def population(user: Any) -> dict[str, Any]:
    return screen_data(user, ["population"], now=NOW)["panels"]["population"]


@pytest.mark.django_db
def test_pyramid_and_residency_with_small_cells_withheld(users: RoleUsers, people: Any) -> None:
    data = population(users.command)
    bands = data["bands"]
    assert bands[0] == "0-4" and bands[-1] == "85+"
    assert data["female"][bands.index("35-39")] == {"value": 8, "display": "8"}
    # Two men aged 25-29: fewer than five, so the number itself is not sent.
    assert data["male"][bands.index("25-29")] == {"value": None, "display": "<5"}
    assert data["male"][bands.index("35-39")] == {"value": 0, "display": "0"}
    residency = {r["label"]: r for r in data["residency"]}
    assert residency["户籍人口"]["value"] == 7
    assert residency["流动人口"] == {"label": "流动人口", "value": None, "display": "<5"}
    assert residency["境外人员"]["display"] == "<5"
    assert data["unknown_age"] == {"value": None, "display": "<5"}
    assert data["total"]["value"] == 12  # street b's resident is not counted


@pytest.mark.django_db
def test_the_panel_never_names_a_person(users: RoleUsers, people: Any) -> None:
    text = json.dumps(population(users.command), ensure_ascii=False)
    for person in people:
        assert person.name not in text
    assert "1990-03-01" not in text


@pytest.mark.django_db
def test_special_groups_only_with_the_permission(users: RoleUsers, people: Any) -> None:
    groups = {g["label"]: g for g in population(users.command)["groups"]}
    assert groups == {"独居老人": {"label": "独居老人", "value": 6, "display": "6"}}
    users.command.user_permissions.add(Permission.objects.get(codename="view_special_groups"))
    allowed = type(users.command).objects.get(pk=users.command.pk)
    groups = {g["label"]: g for g in population(allowed)["groups"]}
    # One person in a sensitive group: shown as a small cell, never as "1".
    assert groups["吸毒人员"] == {"label": "吸毒人员", "value": None, "display": "<5"}
