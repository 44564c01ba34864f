from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from civicgrid.accounts.choices import Role
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
