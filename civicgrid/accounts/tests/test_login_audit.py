"""Failed sign-ins and lockouts reach the audit trail (等保 2.0): the user name tried and the
client address, never the password; a name nobody has is recorded as well, without a target."""

from typing import Any

import pytest
from django.test import override_settings

from civicgrid.core.models import AuditEntry
from civicgrid.testing.users import RoleUsers

OFFICE = "203.0.113.7"


def login(client: Any, username: str, password: str, ip: str = OFFICE) -> Any:
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def _all_text(entry: AuditEntry) -> str:
    return " ".join(
        str(getattr(entry, f)) for f in ("action", "target_type", "target_id", "field", "reason")
    )


@pytest.mark.django_db
def test_a_wrong_password_is_audited_without_the_password(client: Any, users: RoleUsers) -> None:
    assert login(client, "worker", "Secret-guess-42").status_code == 200
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.result, entry.actor) == ("login_failed", "denied", None)
    assert (entry.target_type, entry.target_id) == ("accounts.user", str(users.worker.pk))
    assert "worker" in entry.reason
    assert entry.ip == OFFICE
    assert "Secret-guess-42" not in _all_text(entry)


@pytest.mark.django_db
def test_a_user_name_nobody_has_is_audited_and_the_page_still_answers(
    client: Any, users: RoleUsers
) -> None:
    response = login(client, "no-such-person", "whatever-1")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    entry = AuditEntry.objects.get()
    assert entry.action == "login_failed" and "no-such-person" in entry.reason
    assert (entry.target_type, entry.target_id) == ("", "")
    client.force_login(users.auditor)
    page = client.get("/accounts/audit/").content.decode()
    assert "登录失败" in page and "no-such-person" in page
    assert "NoneType" not in page


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True)
def test_the_lockout_is_audited_once_and_later_attempts_as_failures(
    client: Any, users: RoleUsers
) -> None:
    for _ in range(5):
        login(client, "worker", "wrong")
    assert login(client, "worker", "pw-worker").status_code == 429
    login(client, "worker", "wrong")

    actions = list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))
    # The failure that reached the limit comes before the lockout it caused.
    assert actions == ["login_failed"] * 5 + ["login_lockout"] + ["login_failed"] * 2
    lockout = AuditEntry.objects.get(action="login_lockout")
    assert (lockout.target_id, lockout.ip, lockout.result) == (
        str(users.worker.pk),
        OFFICE,
        "denied",
    )
    assert "worker" in lockout.reason and "5" in lockout.reason
    while_locked = AuditEntry.objects.filter(action="login_failed").order_by("-seq")[:2]
    assert all("锁定期间" in e.reason for e in while_locked)
    assert not any("pw-worker" in _all_text(e) for e in AuditEntry.objects.all())


@pytest.mark.django_db
@override_settings(AXES_ENABLED=True)
def test_a_user_name_nobody_has_can_be_locked_out_too(client: Any, users: RoleUsers) -> None:
    for _ in range(6):
        login(client, "ghost", "wrong")
    lockout = AuditEntry.objects.get(action="login_lockout")
    assert "ghost" in lockout.reason and lockout.target_id == ""
    assert AuditEntry.objects.filter(action="login_failed").count() == 6


@pytest.mark.django_db
def test_the_trail_says_these_came_from_someone_not_signed_in(
    client: Any, users: RoleUsers
) -> None:
    login(client, "worker", "wrong")
    client.force_login(users.auditor)
    body = client.get("/accounts/audit/?action=login_failed").content.decode()
    row = body[body.index("登录失败</td>") - 300 : body.index("登录失败</td>")]
    assert "未登录" in row and "系统(服务器命令)" not in row
