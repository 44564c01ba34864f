"""Account administration. Every change is audited; accounts are deactivated, never deleted, so
their history and audit trail stay readable.

三权分立 is enforced here, not only in the forms (docs/architecture.md "Three administrators"):
the security administrator manages the accounts of working roles only. Creating, changing,
resetting, unlocking or deactivating a system, security or audit administrator account, and
granting personal-data permissions to a role that does not work a jurisdiction, are refused
with a ``ValidationError`` whoever calls. Administrator accounts are handled by the break-glass
functions at the end of this module, reachable only from the server's command line
(``manage.py admin_account``).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from datetime import date

from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.contrib.auth import password_validation
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicgrid.accounts import two_factor
from civicgrid.accounts.choices import (
    ACCOUNT_MANAGERS,
    ADMIN_ROLES,
    SCOPE_LENGTHS,
    SCOPED_ROLES,
    SENSITIVE_PERMISSION_ROLES,
    SENSITIVE_PERMISSIONS,
    Role,
)
from civicgrid.accounts.hooks import existing_codes
from civicgrid.accounts.models import Department, Scope, User
from civicgrid.core.audit import audit_record

LEVEL_NAMES = {
    2: gettext_lazy("省"),
    4: gettext_lazy("市"),
    6: gettext_lazy("区县"),
    9: gettext_lazy("街道/乡镇"),
    12: gettext_lazy("社区/村"),
    15: gettext_lazy("网格"),
}
USERNAME_RE = re.compile(r"^[A-Za-z0-9_.@-]{3,40}$")


def _set_password(user: User, password: str) -> None:
    """Every password an account is given here passes AUTH_PASSWORD_VALIDATORS first, whoever
    calls: a form that forgot to check (the account form only checked the length) can no longer
    store ``password123``. Demo data and test fixtures set theirs directly on purpose.

    The refusal names the ``password`` field so a view shows it next to the password box."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.error_list}) from exc
    user.set_password(password)


def _admin_only_by_command() -> str:
    return _(
        "系统管理员、安全管理员和审计管理员账户只能由服务器上的应急命令"
        "(manage.py admin_account)创建、修改或重置(三权分立)。"
    )


def _check_manager(by: User) -> None:
    """Only the security administrator (or an installation superuser) manages accounts."""
    if not (by.is_superuser or by.role in ACCOUNT_MANAGERS):
        raise PermissionDenied(_("只有安全管理员可以管理账户。"))


def _check_managed(user: User) -> None:
    """A target the web services may never touch: superusers and the three administrators."""
    if user.is_superuser or user.role in ADMIN_ROLES:
        raise ValidationError(_admin_only_by_command())


def _check_working_role(role: Role) -> None:
    if role in ADMIN_ROLES:
        raise ValidationError({"role": _admin_only_by_command()})


def _check_permissions(role: Role, permissions: Iterable[str]) -> None:
    codes = list(permissions)
    if unknown := [c for c in codes if c not in SENSITIVE_PERMISSIONS]:
        raise ValidationError(
            {"permissions": _("未知的权限:%(codes)s") % {"codes": "、".join(unknown)}}
        )
    if codes and role not in SENSITIVE_PERMISSION_ROLES:
        raise ValidationError(
            {"permissions": _("%(role)s不能被授予敏感数据权限。") % {"role": Role(role).label}}
        )


def scope_problems(role: Role | str, codes: list[str]) -> list[str]:
    """Why ``codes`` cannot be ``role``'s scopes (Chinese messages), or nothing when they fit:
    the code lengths the role may hold, and that each names an existing region or grid (as the
    app owning the codes registered in ``accounts.hooks``)."""
    role = Role(role)
    if role not in SCOPED_ROLES:
        return [_("%(role)s不设管辖范围,请清空。") % {"role": role.label}] if codes else []
    if not codes:
        return [] if role == Role.SYSADMIN else [_("该角色需要至少一个管辖范围。")]
    lengths = SCOPE_LENGTHS.get(role)
    if lengths is not None and (wrong := [c for c in codes if len(c) not in lengths]):
        return [
            _("%(role)s只能分配到%(levels)s:%(codes)s")
            % {
                "role": role.label,
                "levels": "、".join(str(LEVEL_NAMES[n]) for n in sorted(lengths)),
                "codes": "、".join(wrong),
            }
        ]
    return unknown_codes(codes)


def unknown_codes(codes: list[str]) -> list[str]:
    """The message naming the codes no current region or grid has (an account's scopes, an API
    key's), or nothing."""
    known = existing_codes(codes)
    if known is not None and (missing := [c for c in codes if c not in known]):
        return [_("以下编码不存在或已停用:%(codes)s") % {"codes": "、".join(missing)}]
    return []


def _check_scopes(role: Role, scopes: list[str]) -> None:
    if problems := scope_problems(role, scopes):
        raise ValidationError({"scopes": problems})


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
    """A working-role account from the security administrator. Its first password came from
    someone else, so the holder changes it at first login."""
    _check_manager(by)
    role = Role(role)
    _check_working_role(role)
    _check_permissions(role, permissions or [])
    _check_scopes(role, scopes)
    user = User(
        username=username,
        full_name=full_name,
        role=role,
        department=department if role == Role.DEPARTMENT else None,
        phone=phone,
        email=email,
        is_staff=False,
        must_change_password=True,
    )
    _set_password(user, password)
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
    _check_manager(by)
    _check_managed(user)
    role = Role(role)
    _check_working_role(role)
    _check_permissions(role, permissions)
    # Scopes already held are not re-checked unless the role changes: a grid retired since
    # must not block correcting a phone number.
    if role != user.role or set(scopes) != set(user.scope_codes):
        _check_scopes(role, scopes)
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
    # Only the system administrator enters Django admin, and that role is never given here.
    user.is_staff = False
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
    _check_manager(by)
    _check_managed(user)
    _set_password(user, password)
    user.must_change_password = True
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    axes_reset(username=user.username)
    audit_record(
        actor=by, action="account_password_reset", target=user, reason=reason, request=request
    )


@transaction.atomic
def user_change_own_password(
    *, user: User, password: str, request: HttpRequest | None = None
) -> None:
    _set_password(user, password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    audit_record(actor=user, action="password_change", target=user, request=request)


@transaction.atomic
def user_set_active(
    *, by: User, user: User, active: bool, reason: str, request: HttpRequest | None = None
) -> None:
    _check_manager(by)
    _check_managed(user)
    if user.pk == by.pk and not active:
        raise ValidationError(_("不能停用自己的账户。"))
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_record(
        actor=by,
        action="account_enable" if active else "account_disable",
        target=user,
        reason=reason,
        request=request,
    )


def locked_out(username: str, request: HttpRequest | None = None) -> bool:
    """Whether django-axes holds ``username`` locked from some address right now: failures
    below the limit (a typo or two) or older than the cool-off lock nobody out."""
    attempts = AccessAttempt.objects.filter(username=username)
    cool_off = get_cool_off(request)
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    limit = get_failure_limit(request, {"username": username})
    # axes adds up one address's rows over user agents, so a changed browser string counts on.
    per_address = attempts.values("ip_address").annotate(failures=Sum("failures_since_start"))
    return per_address.filter(failures__gte=limit).exists()


def user_unlock(*, by: User, user: User, request: HttpRequest | None = None) -> int:
    _check_manager(by)
    _check_managed(user)
    was_locked = locked_out(user.username, request)
    cleared = axes_reset(username=user.username)
    # Enabling or resetting an account clears leftover attempts as a matter of course; the
    # trail says 解除登录锁定 only when someone was actually kept out.
    if was_locked:
        audit_record(actor=by, action="account_unlock", target=user, request=request)
    return cleared


# --- Break-glass: administrator accounts, from the server's command line only ----------------
#
# Nobody in the web application creates or changes the three administrators (三权分立); whoever
# holds shell access to the server does, through ``manage.py admin_account``. Each call needs a
# reason, hands out a random temporary password that must be changed at first sign-in, and
# writes an audit entry without an actor (the system, on the command line).


def _set_temporary_password(user: User) -> str:
    """Gives ``user`` a random password and returns it. About one draw in fifteen has no digit
    (or a deployment's extra validator refuses it), so draw again rather than print a password
    the rules refuse; a rule no random draw can meet (PASSWORD_MIN_LENGTH above 16) ends with
    its own message for the operator instead of looping."""
    refusal = None
    for _attempt in range(20):
        password = secrets.token_urlsafe(12)
        try:
            _set_password(user, password)
        except ValidationError as exc:
            refusal = exc
        else:
            return password
    assert refusal is not None
    raise refusal


def _admin_account(username: str) -> User:
    try:
        user = User.objects.get(username=username)
    except User.DoesNotExist as exc:
        raise ValidationError(_("账户 %(name)s 不存在。") % {"name": username}) from exc
    if user.role not in ADMIN_ROLES:
        raise ValidationError(
            _("%(name)s 是%(role)s账户,工作角色的账户由安全管理员在“账户管理”中处理。")
            % {"name": username, "role": Role(user.role).label}
        )
    return user


def _need_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("请填写事由,它会记入审计记录。"))
    return reason


@transaction.atomic
def admin_account_create(
    *, username: str, role: Role | str, reason: str, full_name: str = "", scopes: Iterable[str] = ()
) -> tuple[User, str]:
    """Create a system, security or audit administrator; returns it and its temporary
    password (shown once to the operator, never stored in clear or audited)."""
    reason = _need_reason(reason)
    try:
        role = Role(role)
    except ValueError as exc:
        raise ValidationError(_("未知的角色:%(role)s") % {"role": role}) from exc
    if role not in ADMIN_ROLES:
        raise ValidationError(
            _("应急命令只处理系统管理员、安全管理员和审计管理员;其他账户由安全管理员创建。")
        )
    if not USERNAME_RE.match(username):
        raise ValidationError(_("用户名只能包含字母、数字和 _ . @ -,长度 3–40。"))
    if User.objects.filter(username=username).exists():
        raise ValidationError(_("该用户名已存在。"))
    codes = list(dict.fromkeys(scopes))
    if codes or role == Role.AUDITOR:
        _check_scopes(role, codes)
    user = User(
        username=username,
        full_name=full_name,
        role=role,
        is_staff=role == Role.SYSADMIN,
        must_change_password=True,
    )
    password = _set_temporary_password(user)
    user.save()
    Scope.objects.bulk_create([Scope(user=user, code=code) for code in codes])
    audit_record(
        actor=None,
        action="admin_account_create",
        target=user,
        reason=f"命令行应急操作:{reason};角色 {role.label},范围 {','.join(codes) or '—'}",
    )
    return user, password


@transaction.atomic
def admin_account_reset(
    *, username: str, reason: str, second_factor: bool = False
) -> tuple[User, str]:
    """A new temporary password for an administrator who lost theirs; lifts a lockout; with
    ``second_factor`` also removes their authenticator (the web pages cannot, 三权分立)."""
    reason = _need_reason(reason)
    user = _admin_account(username)
    password = _set_temporary_password(user)
    user.must_change_password = True
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    axes_reset(username=user.username)
    if second_factor:
        two_factor.reset(by=None, user=user, reason=f"命令行应急操作:{reason}")
    audit_record(
        actor=None,
        action="admin_account_reset",
        target=user,
        reason=f"命令行应急操作:{reason}",
    )
    return user, password


@transaction.atomic
def admin_account_retire(*, username: str, reason: str) -> User:
    """Deactivate an administrator (never deleted) and retire its scopes with today's date."""
    reason = _need_reason(reason)
    user = _admin_account(username)
    user.is_active = False
    user.save(update_fields=["is_active"])
    user.scopes.filter(retired_on__isnull=True).update(retired_on=date.today())
    user.__dict__.pop("scope_codes", None)
    audit_record(
        actor=None,
        action="admin_account_retire",
        target=user,
        reason=f"命令行应急操作:{reason}",
    )
    return user
