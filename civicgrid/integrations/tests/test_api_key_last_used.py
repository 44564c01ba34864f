"""``last_used_at`` is recorded, at most once a minute."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from civicgrid.integrations.models import ApiKey

pytestmark = pytest.mark.django_db


def test_last_used_is_updated_at_most_once_a_minute(hotline_key: Any) -> None:
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get("/api/v1/cases/", **hotline_key.headers)
    first = ApiKey.objects.get(pk=hotline_key.row.pk).last_used_at
    assert first == start
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        client.get("/api/v1/cases/", **hotline_key.headers)
    assert ApiKey.objects.get(pk=hotline_key.row.pk).last_used_at == first
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        client.get("/api/v1/cases/", **hotline_key.headers)
    assert ApiKey.objects.get(pk=hotline_key.row.pk).last_used_at == start + timedelta(seconds=61)
