"""The security admin changes existing accounts; every change is validated and audited."""

import re
from typing import Any

import pytest

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import Scope, User
from civicgrid.core.models import AuditEntry
from civicgrid.testing.users import RoleUsers, make_user


@pytest.fixture
def security(users: RoleUsers) -> User:
    return make_user("security", Role.SECADMIN)


def edit_data(user: User, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "full_name": user.full_name,
        "role": user.role,
        "scopes": ",".join(user.scope_codes),
        "department": user.department_id or "",
        "phone": user.phone,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "reason": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not False}


@pytest.mark.django_db
def test_edit_page_shows_the_current_values(client: Any, security: User, users: RoleUsers) -> None:
    client.force_login(security)
    body = client.get(f"/accounts/manage/{users.worker.pk}/edit/").content.decode()
    assert users.worker.scope_codes[0] in body
    assert "重置密码" in body


@pytest.mark.django_db
def test_moving_a_worker_to_another_grid_retires_the_old_scope(
    client: Any, security: User, users: RoleUsers, city: Any
) -> None:
    old = users.worker.scope_codes[0]
    new = city.grids["a1_east"].code
    client.force_login(security)
    response = client.post(
        f"/accounts/manage/{users.worker.pk}/edit/",
        edit_data(users.worker, scopes=new, reason="调整网格"),
    )
    assert response.status_code == 302
    worker = User.objects.get(pk=users.worker.pk)
    assert worker.scope_codes == [new]
    retired = Scope.objects.get(user=worker, code=old)
    assert retired.retired_on is not None
    entry = AuditEntry.objects.get(action="account_update", actor=security)
    assert entry.target_id == str(worker.pk)
    assert entry.field == "scopes"
    assert f"+{new}" in entry.reason and f"-{old}" in entry.reason and "调整网格" in entry.reason


@pytest.mark.django_db
def test_promoting_a_cadre_to_secretary_is_audited_old_to_new(
    client: Any, security: User, users: RoleUsers
) -> None:
    client.force_login(security)
    client.post(
        f"/accounts/manage/{users.cadre.pk}/edit/", edit_data(users.cadre, role="secretary")
    )
    assert User.objects.get(pk=users.cadre.pk).role == Role.SECRETARY
    entry = AuditEntry.objects.get(action="account_update")
    assert "角色:社区干部/片长→社区书记/主任" in entry.reason


@pytest.mark.django_db
def test_edit_checks_scopes_like_creation(client: Any, security: User, users: RoleUsers) -> None:
    client.force_login(security)
    community = users.cadre.scope_codes[0]
    response = client.post(
        f"/accounts/manage/{users.worker.pk}/edit/", edit_data(users.worker, scopes=community)
    )
    assert response.status_code == 200
    assert f"网格员只能分配到网格:{community}" in response.content.decode()
    assert User.objects.get(pk=users.worker.pk).scope_codes == users.worker.scope_codes
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_edit_refuses_unknown_scope_codes(client: Any, security: User, users: RoleUsers) -> None:
    client.force_login(security)
    response = client.post(
        f"/accounts/manage/{users.command.pk}/edit/", edit_data(users.command, scopes="520102009")
    )
    assert "以下编码不存在或已停用:520102009" in response.content.decode()


@pytest.mark.django_db
def test_a_department_handler_needs_a_department(
    client: Any, security: User, users: RoleUsers
) -> None:
    client.force_login(security)
    response = client.post(
        f"/accounts/manage/{users.resident.pk}/edit/",
        edit_data(users.resident, role="department"),
    )
    assert "职能部门经办人必须选择所属部门" in response.content.decode()
    client.post(
        f"/accounts/manage/{users.resident.pk}/edit/",
        edit_data(users.resident, role="department", department=users.dept.pk),
    )
    assert User.objects.get(pk=users.resident.pk).department == users.dept


@pytest.mark.django_db
def test_leaving_the_department_role_clears_the_department(
    client: Any, security: User, users: RoleUsers
) -> None:
    client.force_login(security)
    client.post(
        f"/accounts/manage/{users.department.pk}/edit/",
        edit_data(users.department, role="resident"),
    )
    assert User.objects.get(pk=users.department.pk).department is None


@pytest.mark.django_db
def test_deactivating_through_edit_needs_a_reason(
    client: Any, security: User, users: RoleUsers
) -> None:
    client.force_login(security)
    url = f"/accounts/manage/{users.cadre.pk}/edit/"
    response = client.post(url, edit_data(users.cadre, is_active=False))
    assert "请填写停用或启用的事由" in response.content.decode()
    assert User.objects.get(pk=users.cadre.pk).is_active
    client.post(url, edit_data(users.cadre, is_active=False, reason="离职"))
    assert not User.objects.get(pk=users.cadre.pk).is_active
    assert AuditEntry.objects.get(action="account_disable").reason == "离职"


@pytest.mark.django_db
def test_the_security_admin_cannot_edit_their_own_account(client: Any, security: User) -> None:
    # 三权分立: an administrator account is changed by the break-glass command only, so nobody
    # widens their own powers from this page.
    client.force_login(security)
    response = client.post(
        f"/accounts/manage/{security.pk}/edit/", edit_data(security, role="sysadmin")
    )
    assert response.status_code == 403
    assert User.objects.get(pk=security.pk).role == Role.SECADMIN


@pytest.mark.django_db
def test_a_working_role_cannot_be_promoted_to_system_admin_on_the_page(
    client: Any, security: User, users: RoleUsers
) -> None:
    client.force_login(security)
    url = f"/accounts/manage/{users.command.pk}/edit/"
    response = client.post(url, edit_data(users.command, role="sysadmin"))
    assert response.status_code == 200
    promoted = User.objects.get(pk=users.command.pk)
    assert promoted.role == Role.COMMAND and not promoted.is_staff
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_saving_without_changes_writes_no_audit_entry(
    client: Any, security: User, users: RoleUsers
) -> None:
    client.force_login(security)
    client.post(f"/accounts/manage/{users.cadre.pk}/edit/", edit_data(users.cadre))
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["sysadmin", "auditor", "command", "worker", "outsider"])
@pytest.mark.parametrize("page", ["edit", "password"])
def test_only_the_security_admin_edits_accounts(
    client: Any, users: RoleUsers, role: str, page: str
) -> None:
    client.force_login(getattr(users, role))
    url = f"/accounts/manage/{users.cadre.pk}/{page}/"
    assert client.get(url).status_code == 403
    assert client.post(url, edit_data(users.cadre, role="sysadmin")).status_code == 403
    assert User.objects.get(pk=users.cadre.pk).role == Role.CADRE


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["edit", "password"])
def test_a_missing_account_is_404(client: Any, security: User, page: str) -> None:
    client.force_login(security)
    assert client.get(f"/accounts/manage/999999/{page}/").status_code == 404


@pytest.mark.django_db
def test_superuser_accounts_are_not_managed_here(client: Any, security: User) -> None:
    root = User.objects.create_superuser("root", password="pw-root-long-1")
    client.force_login(security)
    assert client.get(f"/accounts/manage/{root.pk}/password/").status_code == 403
    assert client.get(f"/accounts/manage/{root.pk}/edit/").status_code == 403


@pytest.mark.django_db
def test_password_reset_sets_a_temporary_password_and_is_audited(
    client: Any, security: User, users: RoleUsers
) -> None:
    client.force_login(security)
    response = client.post(
        f"/accounts/manage/{users.cadre.pk}/password/",
        {"password": "Temp-pass-2026", "password2": "Temp-pass-2026", "reason": "忘记密码"},
    )
    assert response.status_code == 302
    cadre = User.objects.get(pk=users.cadre.pk)
    assert cadre.check_password("Temp-pass-2026")
    assert cadre.must_change_password
    entry = AuditEntry.objects.get(action="account_password_reset")
    assert entry.actor == security and entry.reason == "忘记密码"
    assert "Temp-pass-2026" not in entry.reason


@pytest.mark.django_db
def test_password_reset_rejects_a_mismatch_and_weak_passwords(
    client: Any, security: User, users: RoleUsers
) -> None:
    client.force_login(security)
    url = f"/accounts/manage/{users.cadre.pk}/password/"
    body = client.post(url, {"password": "Temp-pass-2026", "password2": "Temp-pass-2027"})
    assert "两次输入的密码不一致" in body.content.decode()
    body = client.post(url, {"password": "12345678", "password2": "12345678"})
    assert body.status_code == 200
    assert User.objects.get(pk=users.cadre.pk).check_password("pw-cadre")
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_login_with_a_temporary_password_leads_to_the_change_page(
    client: Any, users: RoleUsers
) -> None:
    User.objects.filter(pk=users.cadre.pk).update(must_change_password=True)
    response = client.post("/accounts/login/", {"username": "cadre", "password": "pw-cadre"})
    assert response["Location"] == "/accounts/password/"
    assert "临时密码" in client.get("/accounts/password/").content.decode()


@pytest.mark.django_db
def test_a_normal_login_goes_home(client: Any, users: RoleUsers) -> None:
    response = client.post("/accounts/login/", {"username": "cadre", "password": "pw-cadre"})
    assert response["Location"] == "/"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["worker", "resident", "department", "auditor"])
def test_every_user_changes_their_own_password(client: Any, users: RoleUsers, role: str) -> None:
    user = getattr(users, role)
    User.objects.filter(pk=user.pk).update(must_change_password=True)
    client.force_login(user)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": f"pw-{user.username}",
            "new_password1": "My-new-pass-2026",
            "new_password2": "My-new-pass-2026",
        },
    )
    assert response.status_code == 302
    changed = User.objects.get(pk=user.pk)
    assert changed.check_password("My-new-pass-2026")
    assert not changed.must_change_password
    assert AuditEntry.objects.filter(action="password_change", actor=user).exists()
    # The session survives the change.
    assert client.get("/accounts/password/").status_code == 200


@pytest.mark.django_db
def test_a_wrong_old_password_changes_nothing(client: Any, users: RoleUsers) -> None:
    client.force_login(users.worker)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": "wrong",
            "new_password1": "My-new-pass-2026",
            "new_password2": "My-new-pass-2026",
        },
    )
    assert response.status_code == 200
    assert User.objects.get(pk=users.worker.pk).check_password("pw-worker")


@pytest.mark.django_db
def test_account_list_links_to_edit_and_reset(
    client: Any, security: User, users: RoleUsers
) -> None:
    client.force_login(security)
    body = client.get("/accounts/manage/").content.decode()
    assert f"/accounts/manage/{users.cadre.pk}/edit/" in body
    assert f"/accounts/manage/{users.cadre.pk}/password/" in body


UNMASK = "registry.unmask_pii"


@pytest.mark.django_db
def test_the_security_admin_grants_and_revokes_unmasking_with_an_audit_entry(
    client: Any, security: User, users: RoleUsers
) -> None:
    client.force_login(security)
    url = f"/accounts/manage/{users.cadre.pk}/edit/"
    client.post(url, edit_data(users.cadre, permissions=[UNMASK], reason="片区核查需要"))
    assert User.objects.get(pk=users.cadre.pk).has_perm(UNMASK)
    entry = AuditEntry.objects.get(action="account_update")
    assert entry.field == "perms" and "+查看完整证件号" in entry.reason
    assert re.search(r'value="registry.unmask_pii"[^>]*checked', client.get(url).content.decode())
    client.post(url, edit_data(users.cadre))
    assert not User.objects.get(pk=users.cadre.pk).has_perm(UNMASK)
    assert "-查看完整证件号" in AuditEntry.objects.latest("at").reason


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["sysadmin", "auditor"])
def test_configuration_and_audit_roles_never_get_sensitive_permissions(
    client: Any, security: User, users: RoleUsers, role: str
) -> None:
    account = getattr(users, role)
    client.force_login(security)
    response = client.post(
        f"/accounts/manage/{account.pk}/edit/", edit_data(account, permissions=[UNMASK])
    )
    assert response.status_code == 403
    assert not User.objects.get(pk=account.pk).has_perm(UNMASK)


@pytest.mark.django_db
def test_moving_to_a_role_without_personal_data_drops_the_grant(
    client: Any, security: User, users: RoleUsers
) -> None:
    from django.contrib.auth.models import Permission

    users.command.user_permissions.add(
        Permission.objects.get(codename="unmask_pii", content_type__app_label="registry")
    )
    client.force_login(security)
    response = client.post(
        f"/accounts/manage/{users.command.pk}/edit/",
        edit_data(users.command, role="department", scopes="", department=users.dept.pk),
    )
    assert response.status_code == 302
    assert not User.objects.get(pk=users.command.pk).has_perm(UNMASK)


@pytest.mark.django_db
def test_a_new_account_can_be_created_with_a_sensitive_permission(
    client: Any, security: User, users: RoleUsers, city: Any
) -> None:
    client.force_login(security)
    client.post(
        "/accounts/manage/new/",
        {
            "username": "newsec",
            "full_name": "新书记",
            "role": "secretary",
            "scopes": city.comm_a1.code,
            "password": "a-long-password-1",
            "permissions": [UNMASK],
        },
    )
    assert User.objects.get(username="newsec").has_perm(UNMASK)
    assert "敏感数据权限" in AuditEntry.objects.get(action="account_create").reason


@pytest.mark.django_db
def test_a_field_list_longer_than_the_column_is_cut_at_a_whole_name(users: RoleUsers) -> None:
    from civicgrid.core.audit import audit_record

    names = "full_name,role,department,phone,email,scopes,perms,is_active"
    entry = audit_record(
        actor=users.cadre, action="account_update", target=users.cadre, field=names
    )
    stored = AuditEntry.objects.get(pk=entry.pk).field
    assert len(stored) <= 50
    assert stored == "full_name,role,department,phone,email,scopes,…"


@pytest.mark.django_db
def test_a_temporary_password_holder_is_sent_to_change_it_from_any_page(
    client: Any, users: RoleUsers
) -> None:
    User.objects.filter(pk=users.worker.pk).update(must_change_password=True)
    client.force_login(users.worker)
    response = client.get("/cases/list/")
    assert response.status_code == 302 and response["Location"] == "/accounts/password/"
    assert client.get("/api/v1/geo/grids").status_code == 403
    assert client.get("/accounts/password/").status_code == 200
    client.post(
        "/accounts/password/",
        {
            "old_password": "pw-worker",
            "new_password1": "My-new-pass-2026",
            "new_password2": "My-new-pass-2026",
        },
    )
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_other_users_are_not_redirected(client: Any, users: RoleUsers) -> None:
    client.force_login(users.worker)
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_a_superuser_cannot_be_deactivated_from_the_account_page(
    client: Any, security: User
) -> None:
    root = User.objects.create_superuser("root", password="pw-root-long-1")
    client.force_login(security)
    assert client.post(f"/accounts/manage/{root.pk}/toggle/", {"reason": "x"}).status_code == 403
    assert User.objects.get(pk=root.pk).is_active
