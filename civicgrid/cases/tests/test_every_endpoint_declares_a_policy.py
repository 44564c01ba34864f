"""Every case page and every case API operation declares who may reach it (core.policy,
docs/architecture.md "One way in")."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from civicgrid.accounts.choices import CASE_READERS, Role
from civicgrid.cases.api import router
from civicgrid.core.policy import OBJECT, ApiPolicy, declared_policy
from civicgrid.testing.users import RoleUsers


def case_patterns() -> list[URLPattern]:
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == "cases":
            return [p for p in entry.url_patterns if isinstance(p, URLPattern)]
    raise AssertionError("cases URLs are not mounted")


@pytest.mark.parametrize("pattern", case_patterns(), ids=lambda p: str(p.name))
def test_every_case_page_declares_a_policy(pattern: URLPattern) -> None:
    assert declared_policy(pattern.callback) is not None


def test_every_case_api_operation_declares_a_policy() -> None:
    for path, path_view in router.path_operations.items():
        for operation in path_view.operations:
            assert operation.auth_callbacks, path
            assert all(isinstance(a, ApiPolicy) for a in operation.auth_callbacks), path


def test_case_page_is_an_object_door_for_case_readers() -> None:
    from civicgrid.cases import views

    declared = declared_policy(views.detail)
    assert declared is not None
    assert declared.scope == OBJECT
    assert declared.roles == frozenset(str(r) for r in CASE_READERS)


def test_tracking_is_public(client: object, users: RoleUsers) -> None:
    from civicgrid.cases import views

    declared = declared_policy(views.track)
    assert declared is not None and declared.public
    assert client.get("/cases/track/").status_code == 200  # type: ignore[attr-defined]


def test_auditor_is_refused_case_pages(client: object, users: RoleUsers) -> None:
    client.force_login(users.auditor)  # type: ignore[attr-defined]
    assert users.auditor.role == Role.AUDITOR
    assert client.get("/cases/list/").status_code == 403  # type: ignore[attr-defined]
    assert client.get("/api/v1/cases/").status_code == 403  # type: ignore[attr-defined]
