"""Query budgets that do not break when another app adds a context processor: count the
queries of a page, then assert the count stays the same as rows grow."""

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client: Any, url: str) -> int:
    client.get(url)  # warm the session so its first-request writes are not counted
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)
