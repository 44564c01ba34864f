"""Account administration by the security administrator. Every change is audited; accounts are
deactivated, never deleted, so their history and audit trail stay readable."""

from __future__ import annotations

from datetime import date

from axes.utils import reset as axes_reset
from django.db import transaction
from django.http import HttpRequest

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import Department, Scope, User
from civicgrid.core.audit import audit_record


@transaction.atomic
def user_create(
    *,
    by: User,
    username: str,
    full_name: str,
    role: Role | str,
    password: str,
    scopes: list[str],
    department: Department | None = None,
    request: HttpRequest | None = None,
) -> User:
    user = User(username=username, full_name=full_name, role=role, department=department)
    user.set_password(password)
    user.save()
    Scope.objects.bulk_create([Scope(user=user, code=code) for code in scopes])
    audit_record(
        actor=by,
        action="account_create",
        target=user,
        reason=f"角色 {role},范围 {','.join(scopes) or '—'}",
        request=request,
    )
    return user


@transaction.atomic
def user_set_scopes(
    *, by: User, user: User, scopes: list[str], request: HttpRequest | None = None
) -> None:
    current = {s.code: s for s in user.scopes.filter(retired_on__isnull=True)}
    for code, scope in current.items():
        if code not in scopes:
            scope.retired_on = date.today()
            scope.save(update_fields=["retired_on"])
    Scope.objects.bulk_create([Scope(user=user, code=c) for c in scopes if c not in current])
    audit_record(
        actor=by,
        action="account_scopes",
        target=user,
        reason=",".join(scopes) or "—",
        request=request,
    )


@transaction.atomic
def user_set_active(
    *, by: User, user: User, active: bool, reason: str, request: HttpRequest | None = None
) -> None:
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_record(
        actor=by,
        action="account_enable" if active else "account_disable",
        target=user,
        reason=reason,
        request=request,
    )


def user_unlock(*, by: User, user: User, request: HttpRequest | None = None) -> int:
    cleared = axes_reset(username=user.username)
    audit_record(actor=by, action="account_unlock", target=user, request=request)
    return cleared
