from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicgrid.accounts import services
from civicgrid.accounts.choices import Role
from civicgrid.accounts.forms import AccountForm, ReasonForm
from civicgrid.accounts.models import User
from civicgrid.core.models import AuditEntry
from civicgrid.core.pagination import paginate


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    """The audit administrator's read-only trail (三权分立: nobody else reads it here)."""
    user = request.user
    assert isinstance(user, User)
    if user.role != Role.AUDITOR and not user.is_superuser:
        raise PermissionDenied
    entries = AuditEntry.objects.select_related("actor").order_by("-at")
    action = request.GET.get("action", "").strip()
    actor = request.GET.get("actor", "").strip()
    if action:
        entries = entries.filter(action=action)
    if actor:
        entries = entries.filter(actor__username=actor)
    actions = AuditEntry.objects.order_by().values_list("action", flat=True).distinct()
    return render(
        request,
        "accounts/audit_list.html",
        {
            "page": paginate(request, entries),
            "actions": sorted(actions),
            "action": action,
            "actor": actor,
        },
    )


def _require_security_admin(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    if user.role != Role.SECADMIN and not user.is_superuser:
        raise PermissionDenied
    return user


@login_required
def account_list(request: HttpRequest) -> HttpResponse:
    _require_security_admin(request)
    users = (
        User.objects.prefetch_related("scopes")
        .select_related("department")
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
        {"page": paginate(request, users), "roles": Role.choices, "role": role, "q": q},
    )


@login_required
def account_create(request: HttpRequest) -> HttpResponse:
    admin = _require_security_admin(request)
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = services.user_create(
            by=admin,
            username=data["username"],
            full_name=data["full_name"],
            role=data["role"],
            password=data["password"],
            scopes=data["scopes"],
            department=data["department"],
            request=request,
        )
        messages.success(request, _("已创建账户 %(name)s。") % {"name": created.username})
        return redirect("accounts:account_list")
    return render(request, "accounts/account_form.html", {"form": form})


@login_required
@require_POST
def account_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    admin = _require_security_admin(request)
    target = get_object_or_404(User, pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写停用或启用的事由。"))
    elif target.pk == admin.pk:
        messages.error(request, _("不能停用自己的账户。"))
    else:
        services.user_set_active(
            by=admin,
            user=target,
            active=not target.is_active,
            reason=form.cleaned_data["reason"],
            request=request,
        )
        services.user_unlock(by=admin, user=target, request=request)
        messages.success(request, _("账户 %(name)s 已更新。") % {"name": target.username})
    return redirect("accounts:account_list")
