"""Pages of the second factor: set up an authenticator (QR code, recovery codes shown once),
enter a code after the password, and the security administrator's reset for a lost phone."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from civicgrid.accounts import two_factor
from civicgrid.accounts.choices import ACCOUNT_MANAGERS
from civicgrid.accounts.forms import ReasonForm
from civicgrid.accounts.views import _managed_account, _manager
from civicgrid.core.policy import NONE, policy
from civicgrid.core.throttle import hit


class CodeForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("验证码"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _next(request: HttpRequest) -> str:
    target = request.GET.get("next") or request.POST.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


def _too_many(request: HttpRequest, user: Any) -> bool:
    """Six digits can be guessed given enough tries: five a minute per account, as the
    password lock-out does for passwords."""
    return not hit("otp", str(user.pk), limit=5, window_seconds=60)


@policy(scope=NONE)
def otp_setup(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if two_factor.enrolled(user) and not user.is_verified():
        return redirect("accounts:otp_verify")
    device = two_factor.pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _too_many(request, user):
            form.add_error("token", _("尝试次数过多,请一分钟后再试。"))
        else:
            codes = two_factor.confirm(request=request, user=user, token=form.cleaned_data["token"])
            if codes is not None:
                return render(
                    request, "accounts/otp_codes.html", {"codes": codes, "next": _next(request)}
                )
            form.add_error("token", _("验证码不正确,请核对手机上的时间后重试。"))
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr": two_factor.qr_svg(device),
            "secret": two_factor.secret_text(device),
            "enrolled": two_factor.enrolled(user),
            "required": two_factor.required(user),
            "next": _next(request),
        },
    )


@policy(scope=NONE)
def otp_verify(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if user.is_verified() or not two_factor.enrolled(user):
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _too_many(request, user):
            form.add_error("token", _("尝试次数过多,请一分钟后再试。"))
        elif two_factor.verify(request=request, user=user, token=form.cleaned_data["token"]):
            return redirect(_next(request))
        else:
            form.add_error(
                "token", _("验证码不正确。手机丢失时可输入一个恢复码,或请安全管理员重置。")
            )
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next(request)})


@policy(roles=ACCOUNT_MANAGERS, scope=NONE)
@require_POST
def account_otp_reset(request: HttpRequest, pk: int) -> HttpResponse:
    admin = _manager(request)
    target = _managed_account(pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写重置双因素认证的事由。"))
    else:
        two_factor.reset(by=admin, user=target, reason=form.cleaned_data["reason"], request=request)
        messages.success(
            request,
            _("已重置 %(name)s 的双因素认证,该用户下次登录时重新设置。")
            % {"name": target.username},
        )
    return redirect("accounts:account_edit", pk=target.pk)
