"""The phone patrol page: grid workers only; it knows the open patrol so a reload resumes it."""

from typing import Any

import pytest

from civicgrid.fieldwork.tests.page_helpers import make_patrol

URL = "/fieldwork/patrol/"


@pytest.mark.django_db
def test_worker_gets_start_button_and_api_address(client: Any, users: Any) -> None:
    client.force_login(users.worker)
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "开始巡查" in body
    assert 'data-api="/api/v1/fieldwork/"' in body
    assert 'data-patrol=""' in body


@pytest.mark.django_db
def test_open_patrol_is_resumed(client: Any, users: Any, city: Any) -> None:
    patrol = make_patrol(users.worker, city.grids["a1_west"], ended=False)
    client.force_login(users.worker)
    body = client.get(URL).content.decode()
    assert f'data-patrol="{patrol.pk}"' in body
    assert f'action="/fieldwork/patrols/{patrol.pk}/report/"' in body


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["command", "secretary", "auditor", "resident", "department"])
def test_only_grid_workers_patrol(client: Any, users: Any, role: str) -> None:
    client.force_login(getattr(users, role))
    assert client.get(URL).status_code == 403


@pytest.mark.django_db
def test_anonymous_goes_to_login(client: Any, users: Any) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
