"""待走访: the most overdue person comes first and is marked overdue in words; a person just
visited is not overdue; supervisors get the per-grid overdue counts, the worker does not. Above
a community the list is one community's at a time: the most overdue one, or the one chosen."""

from typing import Any

import pytest

from civicgrid.fieldwork.tests.visit_page_helpers import due_person, make_visit


def _two_communities_overdue(city: Any) -> None:
    """Two people overdue in community a1 (one per grid), one in a2."""
    due_person(city.grids["a1_west"], "久未访", tagged_days_ago=30)
    due_person(city.grids["a1_east"], "也久未访", tagged_days_ago=30)
    due_person(city.grids["a2"], "另一社区", tagged_days_ago=30)


@pytest.mark.django_db
def test_overdue_person_comes_first(client: Any, users: Any, city: Any) -> None:
    grid = city.grids["a1_west"]
    fresh = due_person(grid, "新标记", tagged_days_ago=1)  # due in 6 days
    late = due_person(grid, "久未访", tagged_days_ago=30)  # 23 days overdue
    visited = due_person(grid, "刚走访", tagged_days_ago=30)
    make_visit(users.worker, visited, days_ago=2)  # due in 5 days
    client.force_login(users.worker)
    response = client.get("/fieldwork/visits/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("久未访") < html.index("刚走访") < html.index("新标记")
    assert "逾期 23 天" in html
    assert f"/fieldwork/visits/new/?person={late.pk}" in html
    assert f"/fieldwork/visits/new/?person={fresh.pk}" in html
    # The worker's own recent visit is listed below.
    assert "我的近期走访" in html
    assert html.count("overdue") >= 1


@pytest.mark.django_db
def test_supervisors_see_overdue_counts_per_grid(client: Any, users: Any, city: Any) -> None:
    grid = city.grids["a1_west"]
    due_person(grid, "久未访", tagged_days_ago=30)
    client.force_login(users.secretary)
    html = client.get("/fieldwork/visits/").content.decode()
    assert "各网格逾期未访" in html
    assert f"<td>{grid.name}</td><td>{grid.code}</td><td>1</td>" in html
    client.force_login(users.worker)
    assert "各网格逾期未访" not in client.get("/fieldwork/visits/").content.decode()


@pytest.mark.django_db
def test_a_street_sees_overdue_counts_per_community_most_first(
    client: Any, users: Any, city: Any
) -> None:
    """A street or wider jurisdiction gets one row per community (a city has 25,000 grids)."""
    _two_communities_overdue(city)
    client.force_login(users.command)
    html = client.get("/fieldwork/visits/").content.decode()
    assert "各社区逾期未访" in html and "各网格逾期未访" not in html
    first = f">{city.comm_a1.short_name}</a></td><td>{city.comm_a1.code}</td><td>2</td>"
    second = f">{city.comm_a2.short_name}</a></td><td>{city.comm_a2.code}</td><td>1</td>"
    assert first in html and second in html
    assert html.index(first) < html.index(second)


@pytest.mark.django_db
def test_above_a_community_the_list_is_the_most_overdue_communitys(
    client: Any, users: Any, city: Any
) -> None:
    _two_communities_overdue(city)
    client.force_login(users.command)
    html = client.get("/fieldwork/visits/").content.decode()
    assert f"待走访 · {city.comm_a1.name}" in html
    assert "当前为逾期未访最多的社区" in html
    assert "久未访" in html and "也久未访" in html and "另一社区" not in html
    assert f'href="?code={city.comm_a2.code}"' in html


@pytest.mark.django_db
def test_a_community_chosen_from_above_lists_its_people_and_grids(
    client: Any, users: Any, city: Any
) -> None:
    due_person(city.grids["a1_west"], "久未访", tagged_days_ago=30)
    due_person(city.grids["a2"], "另一社区", tagged_days_ago=30)
    client.force_login(users.command)
    html = client.get(f"/fieldwork/visits/?code={city.comm_a2.code}").content.decode()
    assert f"待走访 · {city.comm_a2.name}" in html
    assert "另一社区" in html and "久未访" not in html
    assert "返回全部社区" in html
    grid = city.grids["a2"]
    assert f"<td>{grid.name}</td><td>{grid.code}</td><td>1</td>" in html


@pytest.mark.django_db
def test_a_code_outside_the_jurisdiction_is_not_found(client: Any, users: Any, city: Any) -> None:
    due_person(city.grids["b1"], "别街道", tagged_days_ago=30)
    client.force_login(users.command)
    assert client.get(f"/fieldwork/visits/?code={city.comm_b1.code}").status_code == 404
    client.force_login(users.worker)
    assert client.get(f"/fieldwork/visits/?code={city.grids['a1_east'].code}").status_code == 404
    own = client.get(f"/fieldwork/visits/?code={city.grids['a1_west'].code}")
    assert own.status_code == 200 and "别街道" not in own.content.decode()
