"""Only the roles that keep the ledgers read them (docs/architecture.md "One way in"): the
auditor (三权分立), departments and residents get 403 on every registry page and operation,
before anything is read, and lists built for them from ``visible_to`` are empty."""

from typing import Any

import pytest

from civicgrid.core.policy import ROLE_REFUSED
from civicgrid.registry import selectors
from civicgrid.registry.models import Building, Person, PersonMove
from civicgrid.registry.tests.conftest import Ledger
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db
API = "/api/v1/registry"


def pages(ledger: Ledger) -> list[str]:
    return [
        "/registry/",
        "/registry/search/?q=wjg",
        "/registry/grids/",
        f"/registry/grids/{ledger.building.grid_id}/",
        "/registry/completeness/",
        "/registry/gaps/",
        "/registry/people/",
        "/registry/moves/",
        "/registry/organizations/",
        f"/registry/buildings/{ledger.building.pk}/",
        f"/registry/dwellings/{ledger.dwelling.pk}/",
        f"/registry/households/{ledger.household.pk}/",
        f"/registry/people/{ledger.head.pk}/",
        f"/registry/people/{ledger.head.pk}/edit/",
        f"/registry/organizations/{ledger.organization.pk}/",
    ]


def operations(ledger: Ledger) -> list[tuple[str, str]]:
    return [
        ("get", f"{API}/buildings"),
        ("get", f"{API}/buildings/{ledger.building.pk}"),
        ("get", f"{API}/dwellings"),
        ("get", f"{API}/dwellings/{ledger.dwelling.pk}"),
        ("get", f"{API}/households"),
        ("get", f"{API}/households/{ledger.household.pk}"),
        ("get", f"{API}/persons"),
        ("get", f"{API}/persons/{ledger.head.pk}"),
        ("patch", f"{API}/persons/{ledger.head.pk}"),
        ("post", f"{API}/persons/{ledger.head.pk}/unmask"),
        ("post", f"{API}/dwellings/{ledger.dwelling.pk}/move-in"),
        ("get", f"{API}/organizations"),
        ("get", f"{API}/organizations/{ledger.organization.pk}"),
    ]


@pytest.mark.parametrize("role", ["auditor", "department", "resident"])
def test_pages_refuse_roles_that_do_not_read_ledgers(
    client: Any, users: RoleUsers, ledger: Ledger, role: str
) -> None:
    client.force_login(getattr(users, role))
    for url in pages(ledger):
        response = client.get(url)
        assert response.status_code == 403, url
        assert ledger.head.name not in response.content.decode(), url


@pytest.mark.parametrize("role", ["auditor", "department", "resident"])
def test_api_refuses_roles_that_do_not_read_ledgers(
    client: Any, users: RoleUsers, ledger: Ledger, role: str
) -> None:
    client.force_login(getattr(users, role))
    for method, url in operations(ledger):
        response = getattr(client, method)(url, {}, content_type="application/json")
        assert response.status_code == 403, url
        assert response.json() == {"detail": ROLE_REFUSED}, url


def test_lists_are_empty_for_the_auditor_whatever_their_codes(
    users: RoleUsers, ledger: Ledger
) -> None:
    # The auditor's scope is the whole city; the READS table still gives them no ledgers.
    auditor = users.auditor
    assert Person.objects.visible_to(auditor).count() == 0
    assert Building.objects.visible_to(auditor).count() == 0
    assert PersonMove.objects.visible_to(auditor).count() == 0
    assert selectors.completeness(auditor)["grids"] == []
    assert selectors.search(auditor, "王建国").people == []
    assert selectors.registry_counts(auditor)["people"] == 0
