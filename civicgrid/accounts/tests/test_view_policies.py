"""Every accounts page declares who may reach it (docs/architecture.md "One way in")."""

from typing import Any

import pytest

from civicgrid.accounts import urls
from civicgrid.accounts.choices import ACCOUNT_MANAGERS, AUDIT_READERS
from civicgrid.core.policy import NONE, declared_policy
from civicgrid.testing.users import RoleUsers

EXPECTED: dict[str, tuple[bool, frozenset[str] | None]] = {
    "login": (True, None),
    "logout": (True, None),
    "password_change": (False, None),
    "audit": (False, frozenset(str(r) for r in AUDIT_READERS)),
    "audit_verify": (False, frozenset(str(r) for r in AUDIT_READERS)),
    "account_list": (False, frozenset(str(r) for r in ACCOUNT_MANAGERS)),
    "account_create": (False, frozenset(str(r) for r in ACCOUNT_MANAGERS)),
    "account_edit": (False, frozenset(str(r) for r in ACCOUNT_MANAGERS)),
    "account_password_reset": (False, frozenset(str(r) for r in ACCOUNT_MANAGERS)),
    "account_toggle": (False, frozenset(str(r) for r in ACCOUNT_MANAGERS)),
    "otp_setup": (False, None),
    "otp_verify": (False, None),
    "account_otp_reset": (False, frozenset(str(r) for r in ACCOUNT_MANAGERS)),
}


def test_every_accounts_url_declares_the_expected_policy() -> None:
    seen = {}
    for pattern in urls.urlpatterns:
        declared = declared_policy(pattern.callback)
        assert declared is not None, f"{pattern.name} declares no policy"
        seen[pattern.name] = (declared.public, declared.roles)
        assert declared.scope == NONE
    assert seen == EXPECTED


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["worker", "resident", "department", "sysadmin", "outsider"])
def test_the_audit_trail_is_refused_to_other_roles(
    client: Any, users: RoleUsers, role: str
) -> None:
    client.force_login(getattr(users, role))
    assert client.get("/accounts/audit/").status_code == 403


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login_page(client: Any) -> None:
    for path in ("/accounts/audit/", "/accounts/manage/", "/accounts/password/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/accounts/login/").status_code == 200
