"""The auditor checks the hash chain on demand ("立即校验"): the nightly verify_audit check,
its verdict on the page, and an entry in the trail for the check itself."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client

from civicgrid.core.audit import audit_record
from civicgrid.core.audit_chain import head
from civicgrid.core.models import AuditEntry
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db

URL = "/accounts/audit/verify/"


def _three(users: RoleUsers) -> list[AuditEntry]:
    return [
        audit_record(actor=users.cadre, action="unmask", target=users.resident, reason=f"第{i}次")
        for i in range(3)
    ]


def test_the_page_offers_the_check_as_a_post_form(client: Any, users: RoleUsers) -> None:
    client.force_login(users.auditor)
    body = client.get("/accounts/audit/").content.decode()
    form = body[body.index(f'action="{URL}"') - 30 : body.index("立即校验")]
    assert 'method="post"' in form and "csrfmiddlewaretoken" in form


def test_a_whole_chain_is_reported_complete_and_the_check_is_audited(
    client: Any, users: RoleUsers
) -> None:
    _three(users)
    client.force_login(users.auditor)
    response = client.post(URL, follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/audit/"
    assert "审计链完整:已校验 3 条记录。" in response.content.decode()
    chain = head()
    assert chain.verified_at is not None and chain.verified_upto == 3
    entry = AuditEntry.objects.get(action="audit_verify")
    assert entry.actor == users.auditor and "已校验 3 条" in entry.reason
    assert "校验审计链" in client.get("/accounts/audit/").content.decode()


def test_a_changed_entry_is_named_on_the_page(client: Any, users: RoleUsers) -> None:
    _, middle, _ = _three(users)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET reason = %s WHERE id = %s", ["无事", middle.pk])
    client.force_login(users.auditor)
    body = client.post(URL, follow=True).content.decode()
    assert f"审计链不完整:第 {middle.seq} 条记录的内容被改动" in body
    assert head().broken_seq == middle.seq


def test_a_second_click_within_the_minute_runs_no_second_scan(
    client: Any, users: RoleUsers
) -> None:
    client.force_login(users.auditor)
    client.post(URL)
    body = client.post(URL, follow=True).content.decode()
    assert "请一分钟后再试" in body
    assert AuditEntry.objects.filter(action="audit_verify").count() == 1


@pytest.mark.parametrize("role", ["sysadmin", "worker", "command", "resident"])
def test_only_the_auditor_may_run_it(client: Any, users: RoleUsers, role: str) -> None:
    client.force_login(getattr(users, role))
    assert client.post(URL).status_code == 403
    assert head().verified_at is None


def test_it_needs_a_post_with_the_csrf_token(users: RoleUsers) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(users.auditor)
    assert client.get(URL).status_code == 405
    assert client.post(URL).status_code == 403
    assert head().verified_at is None
    assert Client().post(URL).status_code == 302  # anonymous: to the login page
