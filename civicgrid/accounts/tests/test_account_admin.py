from typing import Any

import pytest
from django.test import Client, override_settings

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import User
from civicgrid.core.models import AuditEntry
from civicgrid.testing.users import RoleUsers, make_user


@pytest.fixture
def security(users: RoleUsers) -> User:
    return make_user("security", Role.SECADMIN)


@pytest.mark.django_db
def test_security_admin_creates_a_scoped_account_and_it_is_audited(
    client: Any, security: User
) -> None:
    client.force_login(security)
    response = client.post(
        "/accounts/manage/new/",
        {
            "username": "newworker",
            "full_name": "新网格员",
            "role": "gridworker",
            "scopes": "520102001001002",
            "password": "a-long-password-1",
        },
    )
    assert response.status_code == 302
    created = User.objects.get(username="newworker")
    assert created.scope_codes == ["520102001001002"]
    assert AuditEntry.objects.filter(action="account_create", actor=security).exists()


@pytest.mark.django_db
def test_bad_scope_codes_get_a_chinese_message(client: Any, security: User) -> None:
    client.force_login(security)
    response = client.post(
        "/accounts/manage/new/",
        {
            "username": "x-user",
            "full_name": "某",
            "role": "cadre",
            "scopes": "52010x",
            "password": "a-long-password-1",
        },
    )
    assert response.status_code == 200
    assert "编码无效" in response.content.decode()
    assert not User.objects.filter(username="x-user").exists()


@pytest.mark.django_db
def test_deactivating_keeps_the_account_and_needs_a_reason(
    client: Any, security: User, users: RoleUsers
) -> None:
    client.force_login(security)
    client.post(f"/accounts/manage/{users.cadre.pk}/toggle/", {"reason": ""})
    users.cadre.refresh_from_db()
    assert users.cadre.is_active
    client.post(f"/accounts/manage/{users.cadre.pk}/toggle/", {"reason": "离职"})
    users.cadre.refresh_from_db()
    assert not users.cadre.is_active
    assert AuditEntry.objects.get(action="account_disable").reason == "离职"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["sysadmin", "auditor", "command", "worker"])
def test_only_the_security_admin_manages_accounts(client: Any, users: RoleUsers, role: str) -> None:
    client.force_login(getattr(users, role))
    assert client.get("/accounts/manage/").status_code == 403


def create(client: Any, role: str, scopes: str) -> str:
    response = client.post(
        "/accounts/manage/new/",
        {
            "username": "someone",
            "full_name": "某",
            "role": role,
            "scopes": scopes,
            "password": "a-long-password-1",
        },
    )
    return response.content.decode() if response.status_code == 200 else ""


@pytest.mark.django_db
def test_a_grid_worker_is_assigned_to_grids_only(
    client: Any, security: User, users: RoleUsers
) -> None:
    client.force_login(security)
    body = create(client, "gridworker", "520102001001")
    assert "网格员只能分配到网格:520102001001" in body
    assert not User.objects.filter(username="someone").exists()


@pytest.mark.django_db
def test_scope_codes_must_exist(client: Any, security: User, users: RoleUsers) -> None:
    client.force_login(security)
    body = create(client, "command", "520102009")
    assert "以下编码不存在或已停用:520102009" in body


@pytest.mark.django_db
def test_the_command_centre_is_assigned_to_a_street(
    client: Any, security: User, users: RoleUsers
) -> None:
    client.force_login(security)
    assert create(client, "command", "520102002") == ""
    assert User.objects.get(username="someone").scope_codes == ["520102002"]


@pytest.mark.django_db
def test_account_list_query_count_does_not_grow(
    client: Any, security: User, users: RoleUsers, city: Any
) -> None:
    from civicgrid.testing.queries import count_queries

    client.force_login(security)
    few = count_queries(client, "/accounts/manage/?size=50")
    for i in range(15):
        make_user(f"extra{i}", Role.GRID_WORKER, city.grids["a1_west"].code, city.grids["b1"].code)
    assert count_queries(client, "/accounts/manage/?size=50") == few


def _wrong_passwords(client: Any, username: str, times: int) -> None:
    for _ in range(times):
        client.post(
            "/accounts/login/",
            {"username": username, "password": "wrong"},
            REMOTE_ADDR="203.0.113.7",
        )


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True)
def test_toggling_an_account_never_locked_out_writes_no_unlock(
    client: Any, security: User, users: RoleUsers
) -> None:
    _wrong_passwords(Client(), "cadre", 2)  # typos below the limit lock nobody out
    client.force_login(security)
    client.post(f"/accounts/manage/{users.cadre.pk}/toggle/", {"reason": "离职"})
    client.post(f"/accounts/manage/{users.cadre.pk}/toggle/", {"reason": "返岗"})
    actions = set(AuditEntry.objects.filter(actor=security).values_list("action", flat=True))
    assert actions == {"account_disable", "account_enable"}


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True)
def test_enabling_a_locked_out_account_lifts_the_lock_and_says_so(
    client: Any, security: User, users: RoleUsers
) -> None:
    _wrong_passwords(Client(), "cadre", 5)
    client.force_login(security)
    client.post(f"/accounts/manage/{users.cadre.pk}/toggle/", {"reason": "离职"})
    assert not AuditEntry.objects.filter(action="account_unlock").exists()
    client.post(f"/accounts/manage/{users.cadre.pk}/toggle/", {"reason": "返岗"})
    unlock = AuditEntry.objects.get(action="account_unlock")
    assert (unlock.actor, unlock.target_id) == (security, str(users.cadre.pk))
    signed_in = Client().post(
        "/accounts/login/",
        {"username": "cadre", "password": "pw-cadre"},
        REMOTE_ADDR="203.0.113.7",
    )
    assert signed_in.status_code == 302


@pytest.mark.django_db
def test_unlocking_without_a_lockout_is_not_audited(security: User, users: RoleUsers) -> None:
    from civicgrid.accounts import services

    services.user_unlock(by=security, user=users.cadre)
    assert not AuditEntry.objects.filter(action="account_unlock").exists()
