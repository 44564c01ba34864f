"""Pages of the security administrator for API keys (docs/integrations.md "API keys").

Keys are security configuration, so they belong to the security administrator alone
(三权分立): the system administrator configures the platform but hands out no credentials, the
auditor reads the trail each create and revoke leaves."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from civicgrid.accounts.choices import ACCOUNT_MANAGERS
from civicgrid.core.pagination import paginate
from civicgrid.core.policy import NONE, policy
from civicgrid.integrations.forms import ApiKeyForm, RevokeForm
from civicgrid.integrations.keys import api_key_create, api_key_revoke, operation_choices
from civicgrid.integrations.models import ApiKey


def _add_errors(form: ApiKeyForm | RevokeForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@policy(roles=ACCOUNT_MANAGERS, scope=NONE)
def key_list(request: HttpRequest) -> HttpResponse:
    keys = ApiKey.objects.select_related(
        "service_user", "created_by", "revoked_by"
    ).prefetch_related("service_user__scopes")
    labels = dict(operation_choices())
    page = paginate(request, keys)
    # Operations read as "METHOD path" rather than as their ids.
    rows = [(key, [labels.get(op, op) for op in key.operations]) for key in page.object_list]
    return render(request, "integrations/key_list.html", {"page": page, "rows": rows})


@never_cache
@policy(roles=ACCOUNT_MANAGERS, scope=NONE)
def key_create(request: HttpRequest) -> HttpResponse:
    form = ApiKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            key, raw = api_key_create(
                by=request.user,
                name=data["name"],
                owner_system=data["owner_system"],
                scopes=data["scopes"],
                operations=data["operations"],
                rate_per_minute=data["rate_per_minute"],
                webhook_url=data["webhook_url"] or "",
                request=request,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            # The full key exists only in this answer: it is not stored and never shown again.
            response = render(
                request, "integrations/key_created.html", {"key": key, "raw_key": raw}
            )
            return response
    return render(request, "integrations/key_form.html", {"form": form})


@policy(roles=ACCOUNT_MANAGERS, scope=NONE)
def key_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    key = get_object_or_404(ApiKey, pk=pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            api_key_revoke(
                key=key, by=request.user, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("已吊销密钥 %(name)s。") % {"name": key.name})
            return redirect("integrations:key_list")
    return render(request, "integrations/key_revoke.html", {"key": key, "form": form})
