"""The registry's workbench panel: a street's or wider jurisdiction is counted once per few
minutes and says when; a community's secretary sees their own edits at once."""

from typing import Any

import pytest
from django.core.cache import cache

from civicgrid.accounts.choices import Role
from civicgrid.registry.tests.factories import make_person
from civicgrid.registry.views import workbench_panel
from civicgrid.testing.users import RoleUsers, make_user

pytestmark = pytest.mark.django_db


def _panel(rf: Any, user: Any) -> dict[str, Any]:
    request = rf.get("/")
    request.user = user
    panel = workbench_panel(request)
    assert panel is not None
    return dict(panel["data"])


def test_a_street_is_counted_once_per_few_minutes(rf: Any, city: Any, users: RoleUsers) -> None:
    make_person(city.grids["a1_west"], name="甲")
    first = _panel(rf, users.command)
    assert first["counts"]["people"] == 1
    assert first["as_of"] is not None
    make_person(city.grids["a1_west"], name="乙")
    assert _panel(rf, users.command)["counts"]["people"] == 1
    cache.clear()
    assert _panel(rf, users.command)["counts"]["people"] == 2


def test_a_community_is_counted_live(rf: Any, city: Any, users: RoleUsers) -> None:
    make_person(city.grids["a1_west"], name="甲")
    assert _panel(rf, users.secretary)["counts"]["people"] == 1
    make_person(city.grids["a1_west"], name="乙")
    data = _panel(rf, users.secretary)
    assert data["counts"]["people"] == 2
    assert "as_of" not in data


def test_the_home_page_says_when_a_wide_count_was_taken(client: Any, users: RoleUsers) -> None:
    client.force_login(users.command)
    assert "每 5 分钟更新" in client.get("/").content.decode()
    client.force_login(users.secretary)
    assert "每 5 分钟更新" not in client.get("/").content.decode()


def test_two_streets_are_kept_apart(rf: Any, city: Any, users: RoleUsers) -> None:
    make_person(city.grids["a1_west"], name="甲")
    assert _panel(rf, users.command)["counts"]["people"] == 1
    street_b = make_user("command_b", Role.COMMAND, city.street_b.code)
    assert _panel(rf, street_b)["counts"]["people"] == 0


def test_a_city_sized_count_is_grouped_as_the_language_writes_it() -> None:
    from django.template.loader import render_to_string
    from django.utils import translation

    data = {"counts": {"households": 3742282, "people": 10000000}, "audit": {"gaps": 0}}
    with translation.override("en"):
        html = render_to_string("registry/_workbench.html", {"data": data})
    assert "3,742,282" in html and "10,000,000" in html
    # Chinese statistics write the digits ungrouped (Django's zh_Hans formats).
    with translation.override("zh-hans"):
        assert ">3742282<" in render_to_string("registry/_workbench.html", {"data": data})
