"""Gates every request passes after signing in: a temporary or expired password is changed
first; the second factor is set up (where the role requires it) and entered; idle sessions
end (docs/architecture.md "Sign-in")."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone

from civicgrid.accounts import two_factor
from civicgrid.accounts.choices import Role


def _expired(user: Any) -> bool:
    """PASSWORD_MAX_AGE_DAYS (0 = off): an owner's password older than that must be changed."""
    days = settings.PASSWORD_MAX_AGE_DAYS
    if not days or not getattr(user, "is_authenticated", False):
        return False
    changed = user.password_changed_at or user.date_joined
    return bool(changed and changed < timezone.now() - timedelta(days=days))


def _always_open(request: HttpRequest) -> tuple[str, ...]:
    return (
        reverse("accounts:logout"),
        reverse("set_language"),
        settings.STATIC_URL or "/static/",
    )


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and (getattr(user, "must_change_password", False) or _expired(user)):
            target = reverse("accounts:password_change")
            allowed = (
                target,
                reverse("accounts:logout"),
                reverse("set_language"),
                settings.STATIC_URL or "/static/",
            )
            if not request.path.startswith(allowed):
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": "请先修改临时密码。"}, status=403)
                return HttpResponseRedirect(target)
        return self.get_response(request)


NO_SECOND_FACTOR = "civicgrid_no_second_factor"


def note_second_factor(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """At sign-in, remember in the session when the user neither has nor needs a second
    factor, so later requests ask the database nothing (connected in AccountsConfig.ready)."""
    if request is not None and hasattr(request, "session"):
        if not two_factor.required(user) and not two_factor.enrolled(user):
            request.session[NO_SECOND_FACTOR] = user.pk


class SecondFactorMiddleware:
    """After the password, the second factor: roles in OTP_REQUIRED_ROLES set one up first;
    anybody who has one enters a code once per session. Nothing else answers until then."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return self.get_response(request)
        if request.session.get(NO_SECOND_FACTOR) == user.pk:
            return self.get_response(request)
        if two_factor.enrolled(user):
            target = reverse("accounts:otp_verify")
        elif two_factor.required(user):
            target = reverse("accounts:otp_setup")
        else:
            # Neither required nor set up: remember it for this session instead of asking the
            # database on every request. Setting one up in this session verifies it at once.
            request.session[NO_SECOND_FACTOR] = user.pk
            return self.get_response(request)
        allowed = (target, reverse("accounts:password_change"), *_always_open(request))
        if request.path.startswith(allowed):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": "请先完成双因素认证。"}, status=403)
        return HttpResponseRedirect(f"{target}?next={request.get_full_path()}")


class IdleTimeoutMiddleware:
    """A session ends after a spell without requests: office staff after STAFF_IDLE_MINUTES,
    grid workers after FIELD_IDLE_MINUTES (their phone app syncs queued work later, so their
    limit is the working day). The session is saved on every request, so the limit slides."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.role != Role.RESIDENT:
            minutes = (
                settings.FIELD_IDLE_MINUTES
                if user.role == Role.GRID_WORKER
                else settings.STAFF_IDLE_MINUTES
            )
            if minutes:  # 0: no idle limit, the session lasts SESSION_COOKIE_AGE
                request.session.set_expiry(minutes * 60)
        return self.get_response(request)
