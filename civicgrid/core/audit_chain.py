"""The audit trail's hash chain (等保 2.0 level 3: audit records protected from change;
网络安全法 §21: kept at least six months). docs/architecture.md "Tamper-evident audit trail".

Every entry stores the HMAC of its own content together with the previous entry's hash, in
``seq`` order. The key is not in the database, so someone who can write to the database can
change or delete a row but cannot recompute the links after it: ``verify`` finds the first
entry whose content, link or number does not fit. Entries are appended under a row lock on the
chain head, so concurrent requests form one line.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from civicgrid.core.models import AuditChain, AuditEntry

CONTENT = (
    "seq", "at", "actor_id", "action", "target_type", "target_id", "field", "reason", "ip",
    "user_agent", "result", "prev_hash",
)  # fmt: skip


def _key() -> bytes:
    return str(settings.AUDIT_CHAIN_KEY).encode()


def _canonical(row: dict[str, Any]) -> bytes:
    at = row["at"]
    if isinstance(at, datetime):
        at = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    values = [at if name == "at" else row[name] for name in CONTENT]
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode()


def entry_hash(row: dict[str, Any]) -> str:
    return hmac.new(_key(), _canonical(row), hashlib.sha256).hexdigest()


def head() -> AuditChain:
    chain, _ = AuditChain.objects.get_or_create(pk=1)
    return chain


def append(**fields: Any) -> AuditEntry:
    """Write one entry as the chain's next link."""
    # No savepoint: the entry belongs to the caller's transaction (and is rolled back with it);
    # three statements per entry — lock the head, insert, move the head.
    with transaction.atomic(savepoint=False):
        chain = AuditChain.objects.select_for_update().filter(pk=1).first()
        if chain is None:  # a fresh database: create the head (safe when several race), lock it
            head()
            chain = AuditChain.objects.select_for_update().get(pk=1)
        entry = AuditEntry(**fields)
        entry.at = timezone.now()
        entry.seq = chain.last_seq + 1
        entry.prev_hash = chain.last_hash
        entry.hash = entry_hash(_row(entry))
        entry.save()
        AuditChain.objects.filter(pk=1).update(last_seq=entry.seq, last_hash=entry.hash)
    return entry


def _row(entry: AuditEntry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in CONTENT}


@dataclass(frozen=True)
class Verdict:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""


def _rows(after_seq: int) -> Iterator[dict[str, Any]]:
    rows = (
        AuditEntry.objects.filter(seq__gt=after_seq).order_by("seq").values(*CONTENT, "hash", "id")
    )
    yield from rows.iterator(chunk_size=5000)


def verify(*, save: bool = True) -> Verdict:
    """Walk the chain from its anchor; the first entry that does not fit breaks it."""
    chain = head()
    expected_seq, expected_prev = chain.anchor_seq + 1, chain.anchor_hash
    checked = 0
    verdict: Verdict | None = None
    for row in _rows(chain.anchor_seq):
        if row["seq"] != expected_seq:
            verdict = Verdict(False, checked, expected_seq, f"第 {expected_seq} 条记录缺失(被删除)")
        elif row["prev_hash"] != expected_prev:
            verdict = Verdict(
                False, checked, row["seq"], f"第 {row['seq']} 条记录与前一条的链接不符"
            )
        elif not hmac.compare_digest(row["hash"], entry_hash(row)):
            verdict = Verdict(False, checked, row["seq"], f"第 {row['seq']} 条记录的内容被改动")
        if verdict:
            break
        checked += 1
        expected_seq, expected_prev = row["seq"] + 1, row["hash"]
    if verdict is None:
        if chain.last_seq >= expected_seq:
            verdict = Verdict(
                False, checked, expected_seq, f"第 {expected_seq} 条及之后的记录缺失(被删除)"
            )
        elif AuditEntry.objects.filter(seq__isnull=True).exists():
            verdict = Verdict(False, checked, None, "存在未进入审计链的记录(绕过应用写入)")
        else:
            verdict = Verdict(True, checked)
    if save:
        AuditChain.objects.filter(pk=1).update(
            verified_at=timezone.now(),
            verified_upto=expected_seq - 1,
            broken_seq=verdict.broken_seq,
            broken_reason=verdict.reason,
        )
    return verdict


def archive(*, before: datetime, out: Path, prune: bool) -> int:
    """Write the entries older than ``before`` (from the anchor on, in order) to ``out`` as
    JSON lines, the last line an HMAC of everything above it; with ``prune``, remove them from
    the database and move the anchor past them, so the chain still verifies."""
    chain = head()
    rows = list(
        AuditEntry.objects.filter(seq__gt=chain.anchor_seq, at__lt=before)
        .order_by("seq")
        .values(*CONTENT, "hash")
    )
    if not rows:
        return 0
    mac = hmac.new(_key(), digestmod=hashlib.sha256)
    with out.open("w", encoding="utf-8") as handle:
        for row in rows:
            line = json.dumps({**row, "at": row["at"].isoformat()}, ensure_ascii=False) + "\n"
            mac.update(line.encode())
            handle.write(line)
        handle.write(json.dumps({"signature": mac.hexdigest(), "entries": len(rows)}) + "\n")
    if prune:
        last = rows[-1]
        with transaction.atomic():
            AuditChain.objects.select_for_update().get(pk=1)
            # The application's own queryset refuses deletes; archiving is the one operator act
            # that removes entries, and only after they are in a signed file.
            models.QuerySet.delete(AuditEntry.objects.filter(seq__lte=last["seq"]))
            AuditChain.objects.filter(pk=1).update(anchor_seq=last["seq"], anchor_hash=last["hash"])
    return len(rows)


def archive_signature_ok(path: Path) -> bool:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    if not lines:
        return False
    mac = hmac.new(_key(), digestmod=hashlib.sha256)
    for line in lines[:-1]:
        mac.update(line.encode())
    return hmac.compare_digest(json.loads(lines[-1]).get("signature", ""), mac.hexdigest())
