"""The geo operations answer what their OpenAPI declares, for whatever input schemathesis
generates (wrong types, huge numbers, odd strings, missing fields): no server error, every
status code documented, every body of the documented shape. The session is the command
centre's, so requests pass the door and reach the validation behind it."""

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import ignored_auth

from civicgrid.testing.users import RoleUsers
from config.api import api

CSRF = "c" * 32


def _geo_schema() -> Any:
    raw = json.loads(json.dumps(api.get_openapi_schema(), default=str))
    raw["paths"] = {path: ops for path, ops in raw["paths"].items() if "/geo/" in path}
    return schemathesis.openapi.from_dict(raw)


schema = _geo_schema()


@pytest.fixture
def session(users: RoleUsers) -> Iterator[dict[str, str]]:
    # The app is called in-process inside the test's transaction: keep Django from closing
    # that connection at each request's start and end (as its own test client does).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    client = Client()
    client.force_login(users.command)
    yield {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


APP = WSGIHandler()


@pytest.mark.django_db
@schema.parametrize()
# The same examples every run: make test stays deterministic. A random draw once combined a
# broken session cookie (which the test then replaces) with a one-element array (``lat=0.0``
# on the wire) and counted that valid request as invalid data accepted.
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_geo_operations_answer_as_documented(case: Any, session: dict[str, str]) -> None:
    case.cookies = {**(case.cookies or {}), **session}
    # ignored_auth would replay the request with its own broken credentials; the cookies set
    # here are valid on purpose (the door itself is tested in test_geo_endpoint_policies).
    case.call_and_validate(app=APP, headers={"X-CSRFToken": CSRF}, excluded_checks=[ignored_auth])
