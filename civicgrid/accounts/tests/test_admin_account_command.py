"""The break-glass command is the only way to create, reset or retire the three administrators."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import User
from civicgrid.core.models import AuditEntry
from civicgrid.testing.users import RoleUsers


def run(*args: str) -> str:
    out = StringIO()
    call_command("admin_account", *args, stdout=out)
    return out.getvalue()


def temporary_password(output: str) -> str:
    line = next(li for li in output.splitlines() if li.startswith("临时密码:"))
    return line.split(":", 1)[1].strip()


@pytest.mark.django_db
def test_create_prints_a_temporary_password_and_audits_as_the_system(users: RoleUsers) -> None:
    output = run(
        "create", "--role", "sysadmin", "--username", "newadmin", "--reason", "新任系统管理员"
    )
    password = temporary_password(output)
    user = User.objects.get(username="newadmin")
    assert user.role == Role.SYSADMIN and user.is_staff
    assert user.check_password(password) and user.must_change_password
    entry = AuditEntry.objects.get(action="admin_account_create")
    assert entry.actor is None and entry.target_id == str(user.pk)
    assert "新任系统管理员" in entry.reason and password not in entry.reason


@pytest.mark.django_db
def test_an_auditor_needs_an_existing_scope(users: RoleUsers, city: Any) -> None:
    with pytest.raises(CommandError, match="至少一个管辖范围"):
        run("create", "--role", "auditor", "--username", "aud2", "--reason", "新任")
    with pytest.raises(CommandError, match="不存在或已停用"):
        run(
            "create",
            "--role",
            "auditor",
            "--username",
            "aud2",
            "--scope",
            "520199",
            "--reason",
            "x",
        )
    run(
        "create",
        "--role",
        "auditor",
        "--username",
        "aud2",
        "--scope",
        city.city.code,
        "--reason",
        "x",
    )
    assert User.objects.get(username="aud2").scope_codes == [city.city.code]


@pytest.mark.django_db
def test_reset_gives_an_administrator_a_new_temporary_password(users: RoleUsers) -> None:
    output = run("reset", "--username", "sysadmin", "--reason", "忘记密码")
    admin = User.objects.get(pk=users.sysadmin.pk)
    assert admin.check_password(temporary_password(output)) and admin.must_change_password
    entry = AuditEntry.objects.get(action="admin_account_reset")
    assert entry.actor is None and "忘记密码" in entry.reason


@pytest.mark.django_db
def test_retire_deactivates_and_keeps_the_account(users: RoleUsers) -> None:
    run("retire", "--username", "auditor", "--reason", "调离")
    auditor = User.objects.get(pk=users.auditor.pk)
    assert not auditor.is_active
    assert auditor.scope_codes == []
    assert auditor.scopes.filter(retired_on__isnull=False).exists()
    assert AuditEntry.objects.filter(action="admin_account_retire", actor=None).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["reset", "--username", "worker", "--reason", "x"], "安全管理员"),
        (["reset", "--username", "nobody", "--reason", "x"], "不存在"),
        (["reset", "--username", "sysadmin", "--reason", " "], "事由"),
        (["create", "--username", "x1", "--reason", "x"], "--role"),
        (["create", "--role", "secadmin", "--username", "sysadmin", "--reason", "x"], "已存在"),
    ],
)
def test_refusals_are_chinese_command_errors(
    users: RoleUsers, args: list[str], message: str
) -> None:
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not AuditEntry.objects.exists()
    assert User.objects.get(pk=users.worker.pk).check_password("pw-worker")
