"""API keys for outside systems (docs/integrations.md "API keys").

A key reads ``civ_<prefix>_<secret>``. The prefix finds the row; the secret is compared,
in constant time, with a keyed SHA-256 stored at creation (the pepper is ``API_KEY_PEPPER``,
falling back to ``SECRET_KEY``), so a copy of the database gives no usable key. The key's
identity is its service user: the policy's role gate, ``visible_to`` and ``access_*`` treat it
like a person of that role and jurisdiction; on top of that a key may call only the
operations listed on it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import HttpError

from civicgrid.accounts.choices import SERVICE_USERNAME_PREFIX, Role
from civicgrid.accounts.models import Scope, User
from civicgrid.accounts.services import unknown_codes
from civicgrid.core import throttle
from civicgrid.core.audit import audit_record
from civicgrid.integrations.models import ApiKey

KEY_TAG = "civ"
# ``last_used_at`` is written at most this often: a busy key must not write on every call.
LAST_USED_EVERY = timedelta(minutes=1)
# The role a service identity works with: it reports and reads cases of its jurisdiction (the
# command centre's reach). Allowed operations narrow it further.
SERVICE_ROLE = Role.COMMAND

# Operations outside the ninja API that a key may be given (the Open311 server's POST).
OPEN311_POST = "open311_post_request"
HOTLINE_ORDERS = "civicgrid_integrations_api_hotline_order"

INVALID_KEY = "API 密钥无效或已吊销"
NOT_ALLOWED = "该 API 密钥无权调用此接口"
TOO_MANY = "请求过于频繁,请稍后再试"


def _pepper() -> bytes:
    return (settings.API_KEY_PEPPER or settings.SECRET_KEY).encode()


def hash_secret(secret: str) -> str:
    return hmac.new(_pepper(), secret.encode(), hashlib.sha256).hexdigest()


def split_key(raw: str) -> tuple[str, str] | None:
    parts = raw.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_TAG or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


def operation_choices() -> list[tuple[str, str]]:
    """Every operation a key may be given: the ninja API's operation ids (as in the OpenAPI
    schema) and the Open311 request intake."""
    from config.api import api

    found: dict[str, str] = {OPEN311_POST: "POST /open311/v2/requests  (Open311 提交诉求)"}
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                op_id = operation.operation_id or api.get_openapi_operation_id(operation)
                methods = ",".join(sorted(operation.methods))
                found[op_id] = f"{methods} /api/v1/{prefix.strip('/')}/{path.lstrip('/')}".replace(
                    "//", "/"
                )
    return sorted(found.items(), key=lambda item: item[1])


_OPERATION_OF_AUTH: dict[int, str] = {}


def _operation_of(auth: Any) -> str:
    """The operation id whose ``auth`` object this is (each ``policy(...).api`` is a fresh
    object, so the identity of the object names the operation)."""
    if not _OPERATION_OF_AUTH:
        from config.api import api

        for _prefix, router in api._routers:
            for path_view in router.path_operations.values():
                for operation in path_view.operations:
                    op_id = operation.operation_id or api.get_openapi_operation_id(operation)
                    for callback in operation.auth_callbacks or ():
                        _OPERATION_OF_AUTH[id(callback)] = op_id
    return _OPERATION_OF_AUTH.get(id(auth), "")


def find_key(raw: str) -> ApiKey | None:
    """The active key ``raw`` names, or None (unknown, malformed, wrong secret or revoked)."""
    parts = split_key(raw)
    if parts is None:
        return None
    prefix, secret = parts
    key = ApiKey.objects.select_related("service_user").filter(prefix=prefix).first()
    # Hash even when no row matched so timing tells nothing about which prefixes exist.
    digest = hash_secret(secret)
    if key is None or not hmac.compare_digest(digest, key.secret_hash):
        return None
    if key.revoked_at is not None:
        return None
    return key


def use_key(key: ApiKey, operation: str) -> None:
    """Apply the key's limits for one call: 403 for an operation not given to the key, 429
    past its rate; record when it was last used (at most once a minute)."""
    if operation not in key.operations:
        raise HttpError(403, NOT_ALLOWED)
    if not throttle.hit("api-key", key.prefix, limit=key.rate_per_minute, window_seconds=60):
        raise HttpError(429, TOO_MANY)
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_EVERY:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now


def resolve_api_key(request: HttpRequest, auth: Any) -> User:
    """Registered with ``core.policy.register_api_key_resolver``: the service user of the key
    in ``X-API-Key``, after the key's own limits."""
    key = find_key(request.headers.get("X-API-Key", ""))
    if key is None:
        raise HttpError(401, INVALID_KEY)
    use_key(key, _operation_of(auth))
    return key.service_user


@transaction.atomic
def api_key_create(
    *,
    by: Any,
    name: str,
    owner_system: str,
    scopes: Iterable[str],
    operations: Iterable[str],
    rate_per_minute: int = 60,
    webhook_url: str = "",
    request: HttpRequest | None = None,
) -> tuple[ApiKey, str]:
    """Create a key and its service user; returns the row and the full key (shown once)."""
    codes = sorted({c.strip() for c in scopes if c.strip()})
    if not codes:
        raise ValidationError({"scopes": _("请至少填写一个管辖区划编码")})
    for code in codes:
        if not (code.isdigit() and len(code) in (6, 9)):
            raise ValidationError(
                {"scopes": _("管辖范围须为 6 位区县或 9 位街道编码:%(code)s") % {"code": code}}
            )
    # The same check as an account's scopes: a key for a region that does not exist would
    # work, see nothing and accept nothing, and nobody would know why.
    if problems := unknown_codes(codes):
        raise ValidationError({"scopes": problems})
    ops = sorted(set(operations))
    known = {op for op, _label in operation_choices()}
    if not ops or not set(ops) <= known:
        raise ValidationError({"operations": _("请选择允许调用的接口")})
    prefix = secrets.token_hex(4)
    while ApiKey.objects.filter(prefix=prefix).exists():
        prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    # The service identity cannot sign in (no usable password) and is inactive, so it is never
    # told about cases nor picked as a case's handler; keys act through the API only.
    user = User(
        username=f"{SERVICE_USERNAME_PREFIX}{prefix}",
        full_name=owner_system[:50],
        role=SERVICE_ROLE,
        is_active=False,
    )
    user.set_unusable_password()
    user.save()
    Scope.objects.bulk_create([Scope(user=user, code=code) for code in codes])
    key = ApiKey.objects.create(
        name=name,
        owner_system=owner_system,
        prefix=prefix,
        secret_hash=hash_secret(secret),
        service_user=user,
        operations=ops,
        rate_per_minute=rate_per_minute,
        webhook_url=webhook_url,
        created_by=by,
    )
    audit_record(
        actor=by,
        action="api_key_create",
        target=key,
        field="api_key",
        reason=f"{owner_system} · {name} · {','.join(codes)} · {','.join(ops)}"[:500],
        request=request,
    )
    return key, f"{KEY_TAG}_{prefix}_{secret}"


@transaction.atomic
def api_key_revoke(
    *, key: ApiKey, by: Any, reason: str, request: HttpRequest | None = None
) -> ApiKey:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("请填写吊销原因")})
    if key.revoked_at is not None:
        raise ValidationError(_("该密钥已吊销"))
    now = timezone.now()
    ApiKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(
        revoked_at=now, revoked_by=by, revoke_reason=reason[:200]
    )
    key.refresh_from_db()
    audit_record(
        actor=by,
        action="api_key_revoke",
        target=key,
        field="api_key",
        reason=reason[:500],
        request=request,
    )
    return key
