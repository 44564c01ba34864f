"""The generated city is usable: its accounts sign in and the pages a city-scale run times
answer, inside each account's jurisdiction."""

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import reverse

from civicgrid.accounts.models import User
from civicgrid.dashboard.city_scale import build_city, main_pages, time_pages
from civicgrid.registry.models import Person

NOW = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)


@pytest.fixture
def generated(db: None) -> None:
    build_city(people=300, cases=200, grids=20, seed=3, now=NOW)


@pytest.mark.parametrize("username", ["city_secretary_1", "city_worker_1"])
def test_main_pages_answer_for_generated_accounts(generated: None, username: str) -> None:
    client = Client()
    client.force_login(User.objects.get(username=username))
    person = Person.objects.order_by("pk").first()
    assert person is not None
    screen = reverse("dashboard:screen")
    for _label, url in main_pages(person.name):
        if url == screen and username == "city_worker_1":
            continue  # the command screen is not a grid worker's page
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    listed = client.get(reverse("registry:people") + f"?q={person.name}")
    assert person.name in listed.content.decode()


def test_timing_the_main_pages_as_the_command_centre(generated: None) -> None:
    figures = time_pages("city_command", rounds=2)
    assert {"事件列表首页", "事件列表末页", "人口列表", "人口搜索(姓名)", "指挥大屏"} < set(figures)
    assert all(f["p95"] >= f["p50"] > 0 for label, f in figures.items() if label != "rss")
