"""Sliding session expiry without a session write on every request.

The idle limits (``accounts.middleware.IdleTimeoutMiddleware``) slide: each request pushes the
end of the session further. Django's way to slide is ``SESSION_SAVE_EVERY_REQUEST``, which
writes the session row on every request, a second write transaction on each API call (a phone
posting cases, a partner system) that only moves the expiry by a few seconds.

This middleware keeps the slide but writes at most once per ``SESSION_REFRESH_SECONDS``: a
request that changed nothing in the session is saved only when the last refresh stamp is older
than that, so an idle limit ends between ``limit - SESSION_REFRESH_SECONDS`` and ``limit``
after the last request. A request that really changed the session (signing in, a message, a
different expiry) is saved as always. See docs/architecture.md ("Sessions").

It sits just inside ``SessionMiddleware`` (so it sees the response before the session is
saved) and outside the middleware that sets the expiry (``IdleTimeoutMiddleware`` calls
``set_expiry`` on every request, which marks the session modified even when the value is the
same).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from copy import deepcopy
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

REFRESHED_KEY = "_refreshed_at"


def refresh_seconds() -> int:
    return int(getattr(settings, "SESSION_REFRESH_SECONDS", 60))


class SessionRefreshMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session: Any = getattr(request, "session", None)
        if session is None or session.session_key is None:
            # No session cookie (an anonymous visitor, a first sign-in): nothing to slide.
            return self.get_response(request)
        before = deepcopy(dict(session.items()))
        response = self.get_response(request)
        if session.session_key is None or not session.items():
            # Signed out or flushed: Django deletes it; nothing to refresh.
            return response
        after = dict(session.items())
        now = int(time.time())
        stamp = after.get(REFRESHED_KEY)
        changed = {k: v for k, v in after.items() if k != REFRESHED_KEY} != {
            k: v for k, v in before.items() if k != REFRESHED_KEY
        }
        stale = not isinstance(stamp, int) or now - stamp >= refresh_seconds()
        if changed or stale:
            # Saved anyway: stamp it so the next requests know it is fresh.
            session[REFRESHED_KEY] = now
        else:
            # Only re-set to the same values (the idle expiry): no write, no new cookie.
            session.modified = False
        return response
