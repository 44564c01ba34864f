"""Ledger edits and visits appear in the work log with the person's name masked, never with
the full name or the ID number (docs/architecture.md "One way in": masking)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from civicgrid.fieldwork.tests.test_worklog_records import DAY, PERSON_ID, PERSON_NAME, one_of_each


def test_the_page_shows_the_edit_masked(users: Any, city: Any) -> None:
    made = one_of_each(users, city)
    client = Client()
    client.force_login(users.secretary)
    html = client.get(f"/fieldwork/worklog/worker/{users.worker.pk}/?day={DAY:%Y-%m-%d}").content
    text = html.decode()
    assert "新增人口 欧***" in text
    assert f"/registry/people/{made['person'].pk}/" in text
    assert PERSON_NAME not in text
    assert PERSON_ID not in text and PERSON_ID[-6:] not in text


def test_the_api_shows_the_edit_masked(users: Any, city: Any) -> None:
    one_of_each(users, city)
    client = Client()
    client.force_login(users.worker)
    body = client.get(f"/api/v1/fieldwork/worklog/workers/{users.worker.pk}?day={DAY:%Y-%m-%d}")
    text = body.content.decode()
    assert PERSON_NAME not in text and PERSON_ID not in text
    titles = [e["title"] for e in body.json()["entries"]]
    assert "新增人口 欧***" in titles
    assert any(t.startswith("入户走访(关爱探访)欧***") for t in titles)


def test_a_tag_and_a_household_edit_name_the_row_without_the_person(users: Any, city: Any) -> None:
    from datetime import date

    from civicgrid.fieldwork import worklog
    from civicgrid.fieldwork.tests.test_worklog_records import at, edited_person
    from civicgrid.registry.choices import TagGroup
    from civicgrid.registry.models import Household, PersonTag, TagKind
    from civicgrid.registry.tests.factories import make_building, make_dwelling, make_household

    grid = city.grids["a1_west"]
    person = edited_person(users.worker, grid, at(9))
    kind = TagKind.objects.create(code="wl-care", name="独居老人", group=TagGroup.values[0])
    tag = PersonTag.objects.create(person=person, kind=kind, grid=grid, started_on=date(2026, 1, 1))
    PersonTag.history.filter(id=tag.pk).update(history_user=users.worker, history_date=at(10))
    household = make_household(
        make_dwelling(make_building(grid, "幸福巷2号"), "301"), number="H-77"
    )
    Household.history.filter(id=household.pk).update(history_user=users.worker, history_date=at(11))
    entries = worklog.timeline(workers=[users.worker], grid_prefix=None, day=DAY).entries
    titles = [e["title"] for e in entries]
    assert titles == ["新增住户 H-77", "新增人群标签 欧***", "新增人口 欧***"]
    assert entries[1]["url"] == f"/registry/people/{person.pk}/"
