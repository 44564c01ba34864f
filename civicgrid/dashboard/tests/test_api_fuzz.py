"""Generated requests over the whole published API (docs/architecture.md "One way in").

Schemathesis reads /api/v1/openapi.json and sends generated requests, valid and invalid, to
every operation as two signed-in roles (a grid worker and the street command centre) in the
test city with a ledger and a case. Whatever it sends, the API must answer without a server
error, with a status the schema documents and a body that matches it. The number of examples
is bounded so the run stays a few minutes on both databases; raise
``CIVICGRID_FUZZ_EXAMPLES`` to search harder.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from civicgrid.testing.matrix import World, build_world

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
EXAMPLES = int(os.environ.get("CIVICGRID_FUZZ_EXAMPLES", "20"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def world(city: Any, users: Any) -> Iterator[World]:
    # The WSGI handler closes the database connection after each request, as in production;
    # the test's transaction lives on that connection, so keep it open as Django's test client
    # does.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield build_world(city, users)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _session_cookies(user: Any) -> dict[str, str]:
    from django.test import Client

    client = Client()
    client.force_login(user)
    token = secrets.token_hex(16)  # a 32-character CSRF secret, sent back as the header
    return {"sessionid": client.cookies["sessionid"].value, "csrftoken": token}


@pytest.mark.django_db(transaction=False)
@pytest.mark.parametrize("role", ["worker", "command"])
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_answers_every_generated_request(case: Any, role: str, world: World) -> None:
    cookies = _session_cookies(getattr(world.users, role))
    case.call_and_validate(
        cookies=cookies, headers={"X-CSRFToken": cookies["csrftoken"]}, checks=CHECKS
    )
