"""Two factors at sign-in (等保 2.0 level 3): the command centre and the administrators must set
up an authenticator before anything else answers, then enter a code after the password each
time; a recovery code works once; the security administrator resets a lost phone (audited)."""

import time
from io import StringIO
from typing import Any

import pytest
from django.test import Client, override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from civicgrid.accounts.choices import Role
from civicgrid.core.models import AuditEntry
from civicgrid.testing.users import RoleUsers, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("required")]
PASSWORD = "Grid-2026-pass"


@pytest.fixture
def required() -> Any:
    with override_settings(OTP_REQUIRED_ROLES=["command", "sysadmin", "secadmin", "auditor"]):
        yield


@pytest.fixture
def secadmin() -> Any:
    return make_user("security", Role.SECADMIN)


def code(device: TOTPDevice, ahead: int = 0) -> str:
    """The app's code now, or ``ahead`` steps later (a code once used is refused again, so a
    second sign-in within the same 30 s uses the next one, inside the device's tolerance)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + ahead * device.step
    return f"{totp.token():06d}"


def sign_in(client: Client, user: Any) -> Any:
    user.set_password(PASSWORD)
    user.save()
    return client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})


def enrol(client: Client, user: Any) -> list[str]:
    client.get("/accounts/otp/setup/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page = client.post("/accounts/otp/setup/", {"token": code(device), "next": "/"})
    assert page.status_code == 200
    return [t.token for t in StaticToken.objects.filter(device__user=user)]


def test_required_role_is_sent_to_set_up_first(client: Client, users: RoleUsers) -> None:
    sign_in(client, users.command)
    page = client.get("/cases/work/")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/otp/setup/")
    api = client.get("/api/v1/cases")
    assert api.status_code == 403 and "双因素" in api.json()["detail"]
    setup = client.get("/accounts/otp/setup/").content.decode()
    assert "<svg" in setup and "otp-secret" in setup


def test_optional_for_other_roles(client: Client, users: RoleUsers) -> None:
    sign_in(client, users.worker)
    assert client.get("/fieldwork/visits/").status_code == 200


def test_enrolment_gives_ten_recovery_codes_and_opens_the_site(
    client: Client, users: RoleUsers
) -> None:
    sign_in(client, users.command)
    codes = enrol(client, users.command)
    assert len(codes) == 10
    assert client.get("/cases/work/").status_code == 200
    assert AuditEntry.objects.filter(action="otp_enrol", target_id=str(users.command.pk)).exists()


def test_a_wrong_code_does_not_enrol(client: Client, users: RoleUsers) -> None:
    sign_in(client, users.command)
    client.get("/accounts/otp/setup/")
    page = client.post("/accounts/otp/setup/", {"token": "000000"})
    assert "验证码不正确" in page.content.decode()
    assert not TOTPDevice.objects.filter(user=users.command, confirmed=True).exists()


def test_next_sign_in_asks_for_the_code(users: RoleUsers) -> None:
    first = Client()
    sign_in(first, users.command)
    enrol(first, users.command)
    second = Client()
    sign_in(second, users.command)
    page = second.get("/cases/work/")
    assert page["Location"].startswith("/accounts/otp/verify/")
    device = TOTPDevice.objects.get(user=users.command, confirmed=True)
    answer = second.post("/accounts/otp/verify/?next=/cases/work/", {"token": code(device, 1)})
    assert answer.status_code == 302 and answer["Location"] == "/cases/work/"
    assert second.get("/cases/work/").status_code == 200


def test_a_recovery_code_works_once(users: RoleUsers) -> None:
    first = Client()
    sign_in(first, users.command)
    recovery = enrol(first, users.command)[0]
    second = Client()
    sign_in(second, users.command)
    assert second.post("/accounts/otp/verify/", {"token": recovery}).status_code == 302
    third = Client()
    sign_in(third, users.command)
    assert (
        "验证码不正确" in third.post("/accounts/otp/verify/", {"token": recovery}).content.decode()
    )
    assert AuditEntry.objects.filter(action="otp_recovery_code").count() == 1


def test_guessing_is_limited(client: Client, users: RoleUsers) -> None:
    first = Client()
    sign_in(first, users.command)
    enrol(first, users.command)
    sign_in(client, users.command)
    for _ in range(5):
        client.post("/accounts/otp/verify/", {"token": "123456"})
    page = client.post("/accounts/otp/verify/", {"token": "123456"}).content.decode()
    assert "尝试次数过多" in page


def test_security_admin_resets_a_lost_phone(
    client: Client, users: RoleUsers, secadmin: Any
) -> None:
    owner = Client()
    sign_in(owner, users.worker)
    enrol(owner, users.worker)
    sign_in(client, secadmin)
    enrol(client, secadmin)
    answer = client.post(f"/accounts/manage/{users.worker.pk}/otp-reset/", {"reason": "手机丢失"})
    assert answer.status_code == 302
    assert not TOTPDevice.objects.filter(user=users.worker).exists()
    entry = AuditEntry.objects.get(action="otp_reset")
    assert entry.reason == "手机丢失" and entry.actor_id == secadmin.pk


def test_reset_needs_a_reason(client: Client, users: RoleUsers, secadmin: Any) -> None:
    owner = Client()
    sign_in(owner, users.worker)
    enrol(owner, users.worker)
    sign_in(client, secadmin)
    enrol(client, secadmin)
    client.post(f"/accounts/manage/{users.worker.pk}/otp-reset/", {"reason": ""})
    assert TOTPDevice.objects.filter(user=users.worker, confirmed=True).exists()


def test_break_glass_command_clears_an_administrators_second_factor(users: RoleUsers) -> None:
    from django.core.management import call_command

    owner = Client()
    sign_in(owner, users.sysadmin)
    enrol(owner, users.sysadmin)
    call_command(
        "admin_account", "reset", "--username", users.sysadmin.username, "--reason", "手机丢失",
        "--second-factor", stdout=StringIO(),
    )  # fmt: skip
    assert not TOTPDevice.objects.filter(user=users.sysadmin).exists()
