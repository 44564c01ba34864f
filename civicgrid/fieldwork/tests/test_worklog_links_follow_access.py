"""The work log links only to what its reader can open: a case the worker reported in a grid
outside their own is listed without a link (its page would answer 404), the one in their grid
keeps its link; a tag of a special group the reader may not see is not listed at all, and is
for a reader who may. Decided by the records' own access rules (``visible_to``), not by the
template."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission

from civicgrid.fieldwork import worklog
from civicgrid.fieldwork.tests.test_worklog_records import DAY, at, edited_person, reported
from civicgrid.registry.choices import TagGroup
from civicgrid.registry.models import PersonTag, TagKind
from civicgrid.registry.tests.factories import centre
from civicgrid.testing.cases import report_case

pytestmark = pytest.mark.django_db


def _page(client: Any, user: Any, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_case_outside_the_readers_jurisdiction_is_listed_without_a_link(
    client: Any, users: Any, city: Any
) -> None:
    inside = reported(users.worker, at(9))
    outside = report_case(users.worker, point=centre(city.grids["b1"]), at=at(10))
    assert outside.grid_code == city.grids["b1"].code
    html = _page(client, users.worker, f"/fieldwork/worklog/?day={DAY:%Y-%m-%d}")
    assert outside.number in html and inside.number in html
    assert f'href="/cases/{inside.pk}/"' in html
    assert f'href="/cases/{outside.pk}/"' not in html
    # The page it no longer links to is indeed closed to this reader.
    assert client.get(f"/cases/{outside.pk}/").status_code == 404
    # The API says the same.
    api = f"/api/v1/fieldwork/worklog/workers/{users.worker.pk}?day={DAY:%Y-%m-%d}"
    data = client.get(api).json()
    urls = {e["title"].split()[1].split("(")[0]: e["url"] for e in data["entries"]}
    assert urls[inside.number] == f"/cases/{inside.pk}/" and urls[outside.number] == ""


def test_a_special_group_tag_is_left_out_for_a_reader_who_may_not_see_special_groups(
    client: Any, users: Any, city: Any
) -> None:
    grid = city.grids["a1_west"]
    kind, _ = TagKind.objects.get_or_create(
        code="wl-special",
        defaults={"name": "社区矫正", "group": TagGroup.SPECIAL, "sensitive": True},
    )
    person = edited_person(users.worker, grid, at(8))
    tag = PersonTag.objects.create(
        person=person, kind=kind, grid=grid, grid_code=grid.code, started_on=DAY
    )
    PersonTag.history.filter(id=tag.pk).update(history_user=users.worker, history_date=at(9))
    url = f"/fieldwork/worklog/worker/{users.worker.pk}/?day={DAY:%Y-%m-%d}"
    html = _page(client, users.secretary, url)
    assert "新增人口" in html
    assert "人群标签" not in html
    users.secretary.user_permissions.add(
        Permission.objects.get(codename="view_special_groups", content_type__app_label="registry")
    )
    users.secretary.refresh_from_db()
    assert "新增人群标签" in _page(client, users.secretary, url)


def test_without_a_reader_the_timeline_is_unfiltered(users: Any, city: Any) -> None:
    """Internal callers (counts, tests) that pass no reader get every link as it was."""
    outside = report_case(users.worker, point=centre(city.grids["b1"]), at=at(10))
    page = worklog.timeline(workers=[users.worker.pk], grid_prefix=None, day=DAY)
    assert [e["url"] for e in page.entries] == [f"/cases/{outside.pk}/"]
