from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.timezone import make_aware
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicgrid.accounts import services
from civicgrid.accounts.choices import (
    ACCOUNT_MANAGERS,
    ADMIN_ROLES,
    AUDIT_READERS,
    SERVICE_USERNAME_PREFIX,
    Role,
)
from civicgrid.accounts.forms import (
    AccountEditForm,
    AccountForm,
    LoginForm,
    PasswordResetForm,
    ReasonForm,
)
from civicgrid.accounts.models import User
from civicgrid.core import audit_chain, throttle
from civicgrid.core.audit import RESULT_LABELS, SIGNED_OUT_ACTIONS, action_label, audit_record
from civicgrid.core.models import AuditEntry
from civicgrid.core.pagination import paginate
from civicgrid.core.policy import NONE, policy


def _date_param(request: HttpRequest, name: str) -> date | None:
    """A YYYY-MM-DD query parameter; a malformed or impossible date is ignored rather than
    answered with an error or an empty trail."""
    try:
        return parse_date(request.GET.get(name, "").strip())
    except ValueError:
        return None


# The audit trail is not jurisdiction data: the audit administrator reads all of it and nothing
# else (三权分立), so the role gate is the whole policy.
@policy(roles=AUDIT_READERS, scope=NONE)
def audit_list(request: HttpRequest) -> HttpResponse:
    """The audit administrator's read-only trail (三权分立: nobody else reads it here)."""
    entries = AuditEntry.objects.select_related("actor").order_by("-at")
    action = request.GET.get("action", "").strip()
    actor = request.GET.get("actor", "").strip()
    result = request.GET.get("result", "").strip()
    since, until = _date_param(request, "since"), _date_param(request, "until")
    if action:
        entries = entries.filter(action=action)
    if actor:
        entries = entries.filter(actor__username=actor)
    if result:
        entries = entries.filter(result=result)
    # Bounds as local-midnight instants so the index on ``at`` serves the range.
    if since:
        entries = entries.filter(at__gte=make_aware(datetime.combine(since, time.min)))
    if until and until < date.max:
        next_day = datetime.combine(until + timedelta(days=1), time.min)
        entries = entries.filter(at__lt=make_aware(next_day))
    actions = AuditEntry.objects.order_by().values_list("action", flat=True).distinct()
    return render(
        request,
        "accounts/audit_list.html",
        {
            "page": paginate(request, entries),
            "chain": audit_chain.head(),
            "actions": sorted(((a, action_label(a)) for a in actions), key=lambda p: p[1]),
            "results": list(RESULT_LABELS.items()),
            "signed_out_actions": SIGNED_OUT_ACTIONS,
            "action": action,
            "actor": actor,
            "result": result,
            "since": since,
            "until": until,
        },
    )


# One on-demand check a minute for the whole site: it reads every entry since the archive
# anchor (about 3 s per 100,000 on SQLite), so repeated clicks must not pile up full scans.
VERIFY_EVERY_SECONDS = 60


@policy(roles=AUDIT_READERS, scope=NONE)
@require_POST
def audit_verify(request: HttpRequest) -> HttpResponse:
    """Runs the nightly ``verify_audit`` check now; the verdict is kept on the chain head like
    the nightly one, shown as a message and written to the trail itself."""
    if not throttle.hit("audit-verify", "chain", limit=1, window_seconds=VERIFY_EVERY_SECONDS):
        messages.info(request, _("审计链刚刚校验过,请一分钟后再试。"))
        return redirect("accounts:audit")
    verdict = audit_chain.verify()
    if verdict.ok:
        outcome = _("审计链完整:已校验 %(n)s 条记录。") % {"n": verdict.checked}
        messages.success(request, outcome)
    else:
        outcome = _("审计链不完整:%(reason)s(之前 %(n)s 条完好)。") % {
            "reason": verdict.reason,
            "n": verdict.checked,
        }
        messages.error(request, outcome)
    # Written after the check so the entry carries its verdict; it is checked next time.
    audit_record(
        actor=request.user,
        action="audit_verify",
        target=audit_chain.head(),
        reason=outcome,
        request=request,
    )
    return redirect("accounts:audit")


def _manager(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _show_refusal(form: Any, exc: ValidationError) -> None:
    """A rule only the service can enforce (三权分立, scopes) shown on the form like any other
    validation error: the page answers 200 with the Chinese reason, never a 500."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# Accounts are not jurisdiction data: the security administrator manages every working-role
# account, so these pages are gated by role alone (scope NONE).
@policy(roles=ACCOUNT_MANAGERS, scope=NONE)
def account_list(request: HttpRequest) -> HttpResponse:
    users = (
        User.objects.prefetch_related("scopes")
        .select_related("department")
        .exclude(username__startswith=SERVICE_USERNAME_PREFIX)
        .order_by("role", "username")
    )
    role = request.GET.get("role", "")
    q = request.GET.get("q", "").strip()
    if role:
        users = users.filter(role=role)
    if q:
        users = users.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    return render(
        request,
        "accounts/account_list.html",
        {
            "page": paginate(request, users),
            "roles": Role.choices,
            "role": role,
            "q": q,
            "admin_roles": [str(r) for r in ADMIN_ROLES],
        },
    )


@policy(roles=ACCOUNT_MANAGERS, scope=NONE)
def account_create(request: HttpRequest) -> HttpResponse:
    admin = _manager(request)
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.user_create(
                by=admin,
                username=data["username"],
                full_name=data["full_name"],
                role=data["role"],
                password=data["password"],
                scopes=data["scopes"],
                department=data["department"],
                phone=data["phone"],
                email=data["email"],
                permissions=data["permissions"],
                request=request,
            )
        except ValidationError as exc:
            _show_refusal(form, exc)
        else:
            messages.success(request, _("已创建账户 %(name)s。") % {"name": created.username})
            return redirect("accounts:account_list")
    return render(request, "accounts/account_form.html", {"form": form})


def _managed_account(pk: int) -> User:
    target = get_object_or_404(
        User.objects.select_related("department").exclude(
            username__startswith=SERVICE_USERNAME_PREFIX
        ),
        pk=pk,
    )
    if target.is_superuser or target.role in ADMIN_ROLES:
        # Superusers exist for installation and recovery only, and the three administrators
        # are created and reset by the break-glass command (三权分立): a security admin who
        # could hand one of them a new password would hold every role.
        raise PermissionDenied(
            _("系统管理员、安全管理员和审计管理员账户只能由服务器上的应急命令处理。")
        )
    return target


@policy(roles=ACCOUNT_MANAGERS, scope=NONE)
def account_edit(request: HttpRequest, pk: int) -> HttpResponse:
    admin = _manager(request)
    target = _managed_account(pk)
    form = AccountEditForm(request.POST or None, account=target, editor=admin)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = services.user_update(
                by=admin,
                user=target,
                full_name=data["full_name"],
                role=data["role"],
                scopes=data["scopes"],
                department=data["department"],
                phone=data["phone"],
                email=data["email"],
                is_active=data["is_active"],
                permissions=data["permissions"],
                reason=data["reason"],
                request=request,
            )
        except ValidationError as exc:
            _show_refusal(form, exc)
        else:
            if changed:
                messages.success(request, _("账户 %(name)s 已更新。") % {"name": target.username})
            else:
                messages.info(request, _("没有修改任何内容。"))
            return redirect("accounts:account_list")
    history = target.scopes.order_by(F("retired_on").desc(nulls_first=True), "code")
    return render(
        request,
        "accounts/account_edit.html",
        {"form": form, "account": target, "scope_history": history},
    )


@policy(roles=ACCOUNT_MANAGERS, scope=NONE)
def account_password_reset(request: HttpRequest, pk: int) -> HttpResponse:
    admin = _manager(request)
    target = _managed_account(pk)
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_reset_password(
                by=admin,
                user=target,
                password=form.cleaned_data["password"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as exc:
            _show_refusal(form, exc)
        else:
            messages.success(
                request,
                _("已为 %(name)s 设置临时密码,该用户下次登录时须修改密码。")
                % {"name": target.username},
            )
            return redirect("accounts:account_list")
    return render(
        request, "accounts/account_password_reset.html", {"form": form, "account": target}
    )


class LoginView(auth_views.LoginView):
    """Sends a user holding a temporary password to change it before anything else."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        user = self.request.user
        if getattr(user, "must_change_password", False):
            return reverse("accounts:password_change")
        return super().get_success_url()


class LogoutView(auth_views.LogoutView):
    """Ends the session and says so on a page of its own, with a link to sign in again: on a
    shared office computer the next person sees that the previous session is closed."""

    template_name = "accounts/logged_out.html"

    def get_default_redirect_url(self) -> str:
        # Only an explicit, safe ``next`` redirects; answering with the request's own address
        # makes LogoutView render the confirmation page instead.
        return self.request.get_full_path()


# Signing in and out is for everybody; the lockout (django-axes) guards the login form.
login = policy(public=True)(LoginView.as_view())
logout = policy(public=True)(LogoutView.as_view())


@policy(scope=NONE)
def password_change(request: HttpRequest) -> HttpResponse:
    """Every signed-in user, whatever the role, changes their own password here."""
    user = request.user
    assert isinstance(user, User)
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_change_own_password(
                user=user, password=form.cleaned_data["new_password1"], request=request
            )
        except ValidationError as exc:
            # Django's form has already applied the same rules to the same user, so this should
            # not happen; if it ever does, the clerk reads why on the form instead of a 500.
            form.add_error("new_password1", exc.messages)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("密码已修改。"))
            return redirect(settings.LOGIN_REDIRECT_URL)
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "must_change": user.must_change_password},
    )


@policy(roles=ACCOUNT_MANAGERS, scope=NONE)
@require_POST
def account_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    admin = _manager(request)
    target = _managed_account(pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写停用或启用的事由。"))
    elif target.pk == admin.pk:
        messages.error(request, _("不能停用自己的账户。"))
    else:
        enabling = not target.is_active
        try:
            services.user_set_active(
                by=admin,
                user=target,
                active=enabling,
                reason=form.cleaned_data["reason"],
                request=request,
            )
            # As on the edit page: a re-enabled account starts with a clean slate, while
            # disabling leaves axes' record of any attack on it in place.
            if enabling:
                services.user_unlock(by=admin, user=target, request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("账户 %(name)s 已更新。") % {"name": target.username})
    return redirect("accounts:account_list")
