"""The generated city is usable: its accounts sign in and the main pages answer, inside
each account's jurisdiction."""

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse

from civicgrid.accounts.models import User
from civicgrid.dashboard.city_scale import build_city
from civicgrid.registry.models import Person

NOW = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)


@pytest.fixture
def generated(db: None) -> None:
    build_city(people=300, cases=200, grids=20, seed=3, now=NOW)


@pytest.mark.parametrize("username", ["city_command", "city_secretary_1", "city_worker_1"])
def test_main_pages_answer_for_generated_accounts(generated: None, username: str) -> None:
    client = Client()
    client.force_login(User.objects.get(username=username))
    person = Person.objects.order_by("pk").first()
    assert person is not None
    for url in (
        reverse("cases:list"),
        reverse("cases:list") + "?page=last",
        reverse("registry:people"),
        reverse("registry:people") + f"?q={person.name}",
        *([reverse("dashboard:screen")] if username != "city_worker_1" else []),
    ):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    listed = client.get(reverse("registry:people") + f"?q={person.name}")
    assert person.name in listed.content.decode()
