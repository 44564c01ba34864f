"""Account administration by the security administrator. Every change is audited; accounts are
deactivated, never deleted, so their history and audit trail stay readable."""

from __future__ import annotations

from datetime import date

from axes.utils import reset as axes_reset
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest

from civicgrid.accounts.choices import SENSITIVE_PERMISSION_ROLES, SENSITIVE_PERMISSIONS, Role
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
    phone: str = "",
    email: str = "",
    permissions: list[str] | None = None,
    request: HttpRequest | None = None,
) -> User:
    user = User(
        username=username,
        full_name=full_name,
        role=role,
        department=department if role == Role.DEPARTMENT else None,
        phone=phone,
        email=email,
        is_staff=role == Role.SYSADMIN,
    )
    user.set_password(password)
    user.save()
    Scope.objects.bulk_create([Scope(user=user, code=code) for code in scopes])
    granted, _revoked = _set_sensitive_permissions(user, Role(role), permissions or [])
    audit_record(
        actor=by,
        action="account_create",
        target=user,
        reason=f"角色 {Role(role).label},范围 {','.join(scopes) or '—'}"
        + (f",敏感数据权限 {'、'.join(granted)}" if granted else ""),
        request=request,
    )
    return user


def _set_sensitive_permissions(
    user: User, role: Role, codes: list[str]
) -> tuple[list[str], list[str]]:
    """Grant exactly ``codes`` among the sensitive permissions; a role that may not hold them
    loses them. Returns the labels granted and revoked, for the audit entry."""
    match = Q()
    for code in SENSITIVE_PERMISSIONS:
        app_label, codename = code.split(".")
        match |= Q(content_type__app_label=app_label, codename=codename)
    rows = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.filter(match).select_related("content_type")
    }
    wanted = {c for c in codes if c in rows} if role in SENSITIVE_PERMISSION_ROLES else set()
    held_pks = set(
        user.user_permissions.filter(pk__in=[p.pk for p in rows.values()]).values_list(
            "pk", flat=True
        )
    )
    held = {code for code, perm in rows.items() if perm.pk in held_pks}
    grant = sorted(wanted - held)
    revoke = sorted(held - wanted)
    user.user_permissions.add(*(rows[c] for c in grant))
    user.user_permissions.remove(*(rows[c] for c in revoke))
    # The per-object permission cache would otherwise answer with the old grants.
    for cache in ("_perm_cache", "_user_perm_cache"):
        user.__dict__.pop(cache, None)
    return (
        [str(SENSITIVE_PERMISSIONS[c]) for c in grant],
        [str(SENSITIVE_PERMISSIONS[c]) for c in revoke],
    )


def _retire_and_add_scopes(user: User, scopes: list[str]) -> tuple[list[str], list[str]]:
    """Make ``scopes`` the user's active scopes. Removed ones are retired with today's date,
    never deleted, so who was responsible for a grid when stays answerable."""
    current = set(user.scopes.filter(retired_on__isnull=True).values_list("code", flat=True))
    added = [c for c in scopes if c not in current]
    retired = sorted(current - set(scopes))
    if retired:
        user.scopes.filter(retired_on__isnull=True, code__in=retired).update(
            retired_on=date.today()
        )
    Scope.objects.bulk_create([Scope(user=user, code=c) for c in added])
    user.__dict__.pop("scope_codes", None)
    return added, retired


@transaction.atomic
def user_update(
    *,
    by: User,
    user: User,
    full_name: str,
    role: Role | str,
    scopes: list[str],
    department: Department | None,
    phone: str,
    email: str,
    is_active: bool,
    permissions: list[str],
    reason: str = "",
    request: HttpRequest | None = None,
) -> list[str]:
    """Apply the security admin's edit; returns the names of the fields that changed. One
    audit entry lists every change (old → new); (de)activation is audited on its own."""
    role = Role(role)
    if role != Role.DEPARTMENT:
        department = None
    changes: list[str] = []
    fields: list[str] = []
    if full_name != user.full_name:
        changes.append(f"姓名:{user.full_name or '—'}→{full_name}")
        fields.append("full_name")
    if role != user.role:
        changes.append(f"角色:{Role(user.role).label}→{role.label}")
        fields.append("role")
    if department != user.department:
        changes.append(f"部门:{user.department or '—'}→{department or '—'}")
        fields.append("department")
    # Work contact details of staff: recorded as changed, values kept out of the trail.
    if phone != user.phone:
        changes.append("工作电话:已修改")
        fields.append("phone")
    if email != user.email:
        changes.append("电子邮箱:已修改")
        fields.append("email")
    user.full_name, user.role, user.department = full_name, role, department
    user.phone, user.email = phone, email
    # Only the system administrator enters Django admin, and only with the staff flag.
    user.is_staff = role == Role.SYSADMIN
    user.save()
    added, retired = _retire_and_add_scopes(user, scopes)
    if added or retired:
        changes.append(
            "管辖范围:" + " ".join([*(f"+{c}" for c in added), *(f"-{c}" for c in retired)])
        )
        fields.append("scopes")
    granted, revoked = _set_sensitive_permissions(user, role, permissions)
    if granted or revoked:
        changes.append(
            "敏感数据权限:" + " ".join([*(f"+{g}" for g in granted), *(f"-{r}" for r in revoked)])
        )
        fields.append("perms")
    if changes:
        audit_record(
            actor=by,
            action="account_update",
            target=user,
            field=",".join(fields),
            reason=";".join([*([f"事由:{reason}"] if reason else []), *changes]),
            request=request,
        )
    if is_active != user.is_active:
        user_set_active(by=by, user=user, active=is_active, reason=reason, request=request)
        if is_active:
            user_unlock(by=by, user=user, request=request)
        fields.append("is_active")
    return fields


@transaction.atomic
def user_reset_password(
    *, by: User, user: User, password: str, reason: str = "", request: HttpRequest | None = None
) -> None:
    """A temporary password from the security admin: the user changes it at next login, and
    a lockout from the forgotten password is lifted."""
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    axes_reset(username=user.username)
    audit_record(
        actor=by, action="account_password_reset", target=user, reason=reason, request=request
    )


@transaction.atomic
def user_change_own_password(
    *, user: User, password: str, request: HttpRequest | None = None
) -> None:
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit_record(actor=user, action="password_change", target=user, request=request)


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
