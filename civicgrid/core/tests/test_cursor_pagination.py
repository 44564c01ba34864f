"""Past the count cap, lists page by a signed cursor (core.pagination): every row exactly once
in both directions, a bad cursor gives the first page, and a cursor never widens the
jurisdiction of the list it is applied to."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs

import pytest
from django.test import RequestFactory

from civicgrid.cases.models import Case
from civicgrid.core.pagination import ListPage, paginate
from civicgrid.testing.cases import IN_A1_EAST, IN_A1_WEST, MONDAY_10, report_case
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(users: RoleUsers, settings: Any) -> list[Case]:
    settings.PAGE_COUNT_CAP = 3
    made = []
    for i in range(11):
        # Pairs share a report time, so the primary key has to break the ties.
        at = MONDAY_10 + timedelta(minutes=i // 2)
        point = IN_A1_WEST if i % 3 else IN_A1_EAST
        made.append(report_case(users.command, point=point, at=at))
    return made


def _page(query: str, user: Any) -> ListPage:
    request = RequestFactory().get(f"/?size=2&{query}")
    return paginate(request, Case.objects.visible_to(user).order_by("-reported_at", "-id"))


def _ids(page: ListPage) -> list[int]:
    return [c.pk for c in page.object_list]


def test_forward_then_backward_visits_every_row_once(cases: list[Case], users: RoleUsers) -> None:
    expected = list(
        Case.objects.visible_to(users.command)
        .order_by("-reported_at", "-id")
        .values_list("pk", flat=True)
    )
    assert len(expected) == 11
    page = _page("", users.command)
    assert page.paginator.capped and page.paginator.count == 3
    seen = _ids(page)
    while page.has_next():
        assert page.next_query is not None
        page = _page(page.next_query, users.command)
        seen += _ids(page)
    assert seen == expected

    page = _page("last=1", users.command)
    assert not page.has_next()
    back = _ids(page)
    while page.has_previous():
        assert page.previous_query is not None
        page = _page(page.previous_query, users.command)
        back = _ids(page) + back
    assert back == expected


def test_cursor_links_use_after_and_before(cases: list[Case], users: RoleUsers) -> None:
    page = _page("page=2", users.command)  # the last numbered page below the cap
    assert page.number == 2 and page.next_query is not None
    assert "after" in parse_qs(page.next_query)
    seek = _page(page.next_query, users.command)
    assert seek.previous_query is not None and "before" in parse_qs(seek.previous_query)


@pytest.mark.parametrize(
    "cursor", ["after=garbage", "before=%00%ff", "after=eyJvIjoiIn0:1abc:xyz", "after="]
)
def test_garbled_cursor_gives_the_first_page(
    cases: list[Case], users: RoleUsers, cursor: str
) -> None:
    first = _page("", users.command)
    assert _ids(_page(cursor, users.command)) == _ids(first)


def test_cursor_of_another_ordering_gives_the_first_page(
    cases: list[Case], users: RoleUsers
) -> None:
    other = paginate(
        RequestFactory().get("/?size=2&page=2"),
        Case.objects.visible_to(users.command).order_by("reported_at", "id"),
    )
    assert other.next_query is not None
    assert _ids(_page(other.next_query, users.command)) == _ids(_page("", users.command))


def test_someone_elses_cursor_shows_only_my_jurisdiction(
    cases: list[Case], users: RoleUsers, city: TestCity
) -> None:
    # The command centre (street a) walks to a cursor; the grid worker of a1_west reuses it.
    page = _page("page=2", users.command)
    assert page.next_query is not None
    mine = _page(page.next_query, users.worker)
    west = city.grids["a1_west"].code
    assert all(c.grid_code.startswith(west) for c in mine.object_list)
    outsider = _page(page.next_query, users.outsider)
    assert outsider.object_list == []


def test_exact_below_the_cap(cases: list[Case], users: RoleUsers, settings: Any) -> None:
    settings.PAGE_COUNT_CAP = 100
    page = _page("last=1", users.command)
    assert not page.paginator.capped
    assert page.paginator.count == 11 and page.number == page.paginator.num_pages == 6
    assert len(page) == 1


def test_next_cursor_for_api_clients(cases: list[Case], users: RoleUsers) -> None:
    page = _page("page=2", users.command)
    assert page.next_cursor and page.next_query is not None
    assert parse_qs(page.next_query)["after"] == [page.next_cursor]
    assert _page("", users.command).next_cursor == ""  # page 2 is reached by number
