"""Failed sign-ins and lockouts in the audit trail (等保 2.0: 登录失败 and its handling are
security events the audit administrator must be able to read).

Django sends ``user_login_failed`` for every refused password, including the attempts django-axes
turns away during a lockout; axes sends ``user_locked_out`` from inside its own
``user_login_failed`` receiver, on the attempt that reaches the limit and again on each attempt
while the lock lasts. Nobody is signed in at that point, so the entries have no actor; the user
name that was tried goes into the reason (the password never reaches a receiver in clear:
Django masks it in ``credentials``).
"""

from __future__ import annotations

from typing import Any

from axes.helpers import get_failure_limit
from django.http import HttpRequest

from civicgrid.accounts.models import User
from civicgrid.core.audit import audit_record

FAILED = "login_failed"
LOCKED = "login_lockout"

# Marks a request whose failure is already in the trail: the two signals arrive in an order
# set by app loading, and each may be the first to write it.
_RECORDED = "_civicgrid_login_failure_audited"
# The login form caps user names at the model's length; other callers of authenticate() may not.
_NAME_LIMIT = 150


def _tried_name(username: Any) -> str:
    return str(username or "")[:_NAME_LIMIT]


def _account(username: str) -> User | None:
    """The account the name belongs to, if any: a name nobody has is still recorded, only
    without a target."""
    if not username:
        return None
    return User._default_manager.filter(**{User.USERNAME_FIELD: username}).first()


def _record_failure(request: HttpRequest | None, username: str, *, while_locked: bool) -> None:
    if request is not None and getattr(request, _RECORDED, False):
        return
    account = _account(username)
    reason = f"用户名:{username}" if username else "用户名:(空)"
    if account is None and username:
        reason += "(无此账户)"
    if while_locked:
        reason += ";账户锁定期间"
    audit_record(
        actor=None, action=FAILED, target=account, reason=reason, request=request, result="denied"
    )
    if request is not None:
        setattr(request, _RECORDED, True)


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    _record_failure(request, _tried_name(credentials.get("username")), while_locked=False)


def on_locked_out(sender: Any, request: HttpRequest, username: Any = None, **kwargs: Any) -> None:
    name = _tried_name(username)
    limit = get_failure_limit(request, getattr(request, "axes_credentials", None))
    failures = getattr(request, "axes_failures_since_start", None)
    # axes signals every attempt made while locked (each one also restarts the cool-off); the
    # lockout itself is one event, written by the attempt that reached the limit.
    reached_now = failures is None or failures <= limit
    _record_failure(request, name, while_locked=not reached_now)
    if not reached_now:
        return
    audit_record(
        actor=None,
        action=LOCKED,
        target=_account(name),
        reason=f"用户名:{name};连续 {limit} 次登录失败,暂时锁定",
        request=request,
        result="denied",
    )
