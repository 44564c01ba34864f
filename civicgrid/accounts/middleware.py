"""A user holding a temporary password from the security admin changes it before doing
anything else: every page sends them to the password form until they have."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and getattr(user, "must_change_password", False):
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
