"""The session slides with its idle limit but is written at most once per
SESSION_REFRESH_SECONDS, not on every request (civicgrid.core.session_refresh)."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest import mock

import pytest
import time_machine
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client, override_settings

from civicgrid.testing.users import RoleUsers

START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


@pytest.fixture
def saves() -> Iterator[mock.MagicMock]:
    with mock.patch.object(SessionStore, "save", autospec=True, side_effect=SessionStore.save) as m:
        yield m


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@override_settings(FIELD_IDLE_MINUTES=60, SESSION_REFRESH_SECONDS=60)
def test_two_requests_in_a_row_write_the_session_once(
    users: RoleUsers, saves: mock.MagicMock
) -> None:
    with time_machine.travel(START, tick=False) as clock:
        client = _signed_in(users.worker)
        saves.reset_mock()
        assert client.get("/api/v1/cases/").status_code == 200
        assert saves.call_count == 1  # the first request stamps the refresh
        clock.shift(5)
        assert client.get("/api/v1/cases/").status_code == 200
        assert saves.call_count == 1  # within the interval: no write
        clock.shift(61)
        assert client.get("/api/v1/cases/").status_code == 200
        assert saves.call_count == 2  # after the interval: written again, the limit slides


@override_settings(FIELD_IDLE_MINUTES=10, SESSION_REFRESH_SECONDS=60)
def test_the_limit_slides_and_an_idle_session_still_expires(users: RoleUsers) -> None:
    with time_machine.travel(START, tick=False) as clock:
        client = _signed_in(users.worker)
        assert client.get("/api/v1/cases/").status_code == 200
        # Active every 4 minutes for 20 minutes: longer than the limit, still signed in.
        for _ in range(5):
            clock.shift(timedelta(minutes=4))
            assert client.get("/api/v1/cases/").status_code == 200
        # Then idle beyond the limit: the session has ended.
        clock.shift(timedelta(minutes=11))
        assert client.get("/api/v1/cases/").status_code in (401, 403)


@override_settings(SESSION_REFRESH_SECONDS=60)
def test_a_real_change_is_saved_at_once(users: RoleUsers, saves: mock.MagicMock) -> None:
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.http import HttpRequest, HttpResponse
    from django.test import RequestFactory

    from civicgrid.core.session_refresh import SessionRefreshMiddleware

    def view(request: HttpRequest) -> HttpResponse:
        request.session["marker"] = request.GET.get("m", "")
        return HttpResponse("ok")

    stack = SessionMiddleware(SessionRefreshMiddleware(view))
    with time_machine.travel(START, tick=False) as clock:
        client = _signed_in(users.worker)
        client.get("/api/v1/cases/")
        key = client.session.session_key or ""
        saves.reset_mock()
        clock.shift(5)
        for marker, writes in (("a", 1), ("a", 1), ("b", 2)):
            request = RequestFactory().get("/", {"m": marker})
            request.COOKIES["sessionid"] = key
            stack(request)
            assert saves.call_count == writes
        assert SessionStore(session_key=key)["marker"] == "b"
