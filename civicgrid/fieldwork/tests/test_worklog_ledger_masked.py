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
