"""The overdue-visit count a street's or wider screen and 待走访 page share is kept per
jurisdiction, day and special-groups permission: a colleague of the same street without the
permission never gets a count that includes a special group's visits."""

from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache

from civicgrid.accounts.choices import Role
from civicgrid.fieldwork.models import VisitRule
from civicgrid.fieldwork.selectors import kept_overdue_counts, overdue_counts
from civicgrid.fieldwork.tests.visit_helpers import care_kind, tagged_person, weekly_rule
from civicgrid.registry.choices import TagGroup
from civicgrid.registry.models import TagKind
from civicgrid.testing.users import RoleUsers, make_user

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 30)


def _street_command(name: str, code: str, *, special: bool) -> Any:
    user = make_user(name, Role.COMMAND, code)
    if special:
        user.user_permissions.add(Permission.objects.get(codename="view_special_groups"))
    return type(user).objects.get(pk=user.pk)


def test_special_groups_stay_out_of_a_colleagues_kept_count(city: Any, users: RoleUsers) -> None:
    VisitRule.objects.all().delete()
    cache.clear()
    grid = city.grids["a1_west"]
    weekly_rule(care_kind())
    sensitive, _ = TagKind.objects.get_or_create(
        code="visit-special", defaults={"name": "社区矫正", "group": TagGroup.SPECIAL,
                                        "sensitive": True},
    )  # fmt: skip
    weekly_rule(sensitive)
    tagged_person(grid, care_kind(), name="李奶奶", started_on=date(2026, 3, 1))
    tagged_person(grid, sensitive, name="某某", started_on=date(2026, 3, 1))
    street = grid.code[:9]
    allowed = _street_command("street-special", street, special=True)
    other = _street_command("street-plain", street, special=False)

    assert kept_overdue_counts(allowed, TODAY)[0] == {grid.code: 2}
    # Same jurisdiction and day, asked second: its own count, not the one kept above.
    assert kept_overdue_counts(other, TODAY)[0] == {grid.code: 1}
    assert overdue_counts(other, TODAY) == {grid.code: 1}


def test_the_due_page_of_a_street_shows_the_kept_count_and_when(
    client: Any, city: Any, users: RoleUsers
) -> None:
    VisitRule.objects.all().delete()
    cache.clear()
    weekly_rule(care_kind())
    tagged_person(city.grids["a1_west"], care_kind(), started_on=date(2026, 1, 5))
    client.force_login(users.command)
    page = client.get("/fieldwork/visits/").content.decode()
    assert "各社区逾期未访" in page and "每 5 分钟更新" in page
    client.force_login(users.secretary)
    page = client.get("/fieldwork/visits/").content.decode()
    assert "各网格逾期未访" in page and "每 5 分钟更新" not in page
