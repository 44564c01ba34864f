from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from civicgrid.core.models import AuditEntry


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    actor: Any,
    action: str,
    target: Any,
    field: str = "",
    reason: str = "",
    request: HttpRequest | None = None,
    result: str = "ok",
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.label_lower if hasattr(target, "_meta") else str(type(target)),
        target_id=str(getattr(target, "pk", target)),
        field=field,
        reason=reason,
        ip=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "")[:200] if request else ""),
        result=result,
    )
