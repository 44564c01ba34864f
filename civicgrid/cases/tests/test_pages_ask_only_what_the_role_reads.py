"""Pages ask the map API only for roles that read the map, and the menu offers the case list
only to roles that read cases (accounts.choices.READS)."""

from typing import Any

import pytest


@pytest.mark.django_db
def test_department_case_list_does_not_ask_for_grids(client: Any, users: Any) -> None:
    client.force_login(users.department)
    body = client.get("/cases/list/").content.decode()
    assert "data-grids-url" not in body


@pytest.mark.django_db
def test_command_case_list_draws_grids(client: Any, users: Any) -> None:
    client.force_login(users.command)
    assert "data-grids-url" in client.get("/cases/list/").content.decode()


@pytest.mark.django_db
def test_auditor_menu_has_no_case_list(client: Any, users: Any) -> None:
    client.force_login(users.auditor)
    body = client.get("/").content.decode()
    assert 'href="/cases/list/"' not in body
    assert 'href="/accounts/audit/"' in body
