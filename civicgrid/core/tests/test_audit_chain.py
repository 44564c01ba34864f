"""The audit trail is a hash chain (docs/architecture.md "Tamper-evident audit trail"): the
application cannot change or delete an entry, and an edit, deletion or insertion made in the
database behind its back is found by verify_audit at the first broken link."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from civicgrid.core.audit import audit_record
from civicgrid.core.audit_chain import archive_signature_ok, head, verify
from civicgrid.core.models import AuditEntry
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db


def _three(users: RoleUsers) -> list[AuditEntry]:
    return [
        audit_record(actor=users.cadre, action="unmask", target=users.resident, reason=f"第{i}次")
        for i in range(3)
    ]


def _sql(statement: str, *params: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_entries_link_in_order(users: RoleUsers) -> None:
    first, second, third = _three(users)
    assert first.seq is not None
    assert [first.seq + 1, first.seq + 2] == [second.seq, third.seq]
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert verify().ok
    call_command("verify_audit")


def test_the_application_cannot_change_or_delete_an_entry(users: RoleUsers) -> None:
    entry = _three(users)[0]
    entry.reason = "改过的"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    with pytest.raises(PermissionDenied):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="改过的")
    with pytest.raises(PermissionDenied):
        AuditEntry.objects.all().delete()


def test_an_edited_row_is_found(users: RoleUsers) -> None:
    _, middle, _ = _three(users)
    _sql("UPDATE core_auditentry SET reason = %s WHERE id = %s", "无事", middle.pk)
    verdict = verify()
    assert not verdict.ok and verdict.broken_seq == middle.seq
    assert "内容被改动" in verdict.reason
    with pytest.raises(CommandError, match=f"第 {middle.seq} 条"):
        call_command("verify_audit")


def test_a_deleted_row_is_found(users: RoleUsers) -> None:
    _, middle, _ = _three(users)
    _sql("DELETE FROM core_auditentry WHERE id = %s", middle.pk)
    verdict = verify()
    assert not verdict.ok and verdict.broken_seq == middle.seq and "缺失" in verdict.reason


def test_the_newest_row_deleted_is_found(users: RoleUsers) -> None:
    *_, last = _three(users)
    _sql("DELETE FROM core_auditentry WHERE id = %s", last.pk)
    assert not verify().ok


def test_a_row_inserted_behind_the_application_is_found(users: RoleUsers) -> None:
    _three(users)
    _sql(
        "INSERT INTO core_auditentry (at, action, target_type, target_id, field, reason, user_agent,"
        " result, prev_hash, hash) VALUES (%s, 'unmask', 'x', '1', '', '', '', 'ok', '', '')",
        timezone.now(),
    )
    assert not verify().ok


def test_the_auditor_page_shows_the_chain_status(client: object, users: RoleUsers) -> None:
    _, middle, _ = _three(users)
    verify()
    client.force_login(users.auditor)  # type: ignore[attr-defined]
    assert "完整" in client.get("/accounts/audit/").content.decode()  # type: ignore[attr-defined]
    _sql("UPDATE core_auditentry SET reason = %s WHERE id = %s", "无事", middle.pk)
    verify()
    page = client.get("/accounts/audit/").content.decode()  # type: ignore[attr-defined]
    assert "不完整" in page and f"第 {middle.seq} 条" in page


def test_archive_signs_prunes_and_the_chain_still_verifies(
    users: RoleUsers, tmp_path: Path
) -> None:
    with time_machine.travel(timezone.now() - timedelta(days=400)):
        old = _three(users)
    recent = _three(users)
    out = tmp_path / "audit-2025.jsonl"
    cutoff = (timezone.localdate() - timedelta(days=200)).isoformat()
    call_command("archive_audit", "--before", cutoff, "--out", str(out), "--prune")
    assert archive_signature_ok(out)
    assert not AuditEntry.objects.filter(pk__in=[e.pk for e in old]).exists()
    assert head().anchor_seq == old[-1].seq
    assert verify().ok and verify().checked == len(recent)
    out.write_text(out.read_text(encoding="utf-8").replace("第0次", "第9次"), encoding="utf-8")
    assert not archive_signature_ok(out)


def test_archive_refuses_to_cut_into_the_retention_period(tmp_path: Path) -> None:
    recent = (timezone.localdate() - timedelta(days=30)).isoformat()
    with pytest.raises(CommandError, match="至少保存"):
        call_command("archive_audit", "--before", recent, "--out", str(tmp_path / "a.jsonl"))
