"""Generated work orders sent with a real key: whatever the hotline sends, the intake answers
without a server error and as its schema documents (the general API fuzz runs as signed-in
people, who are refused before the intake runs)."""

from __future__ import annotations

import os
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
    response_schema_conformance,
    status_code_conformance,
)

from civicgrid.integrations.keys import HOTLINE_ORDERS
from civicgrid.integrations.tests.conftest import Key, make_key

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application()).include(
    path="/api/v1/integrations/hotline/orders"
)
EXAMPLES = int(os.environ.get("CIVICGRID_FUZZ_EXAMPLES", "20"))


@pytest.fixture
def key(city: Any, secadmin: Any) -> Iterator[Key]:
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield make_key(secadmin, city.street_a.code, [HOTLINE_ORDERS], rate_per_minute=10000)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db(transaction=False)
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_hotline_intake_answers_every_generated_order(case: Any, key: Key) -> None:
    case.call_and_validate(
        headers={"X-API-Key": key.raw},
        checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
    )
