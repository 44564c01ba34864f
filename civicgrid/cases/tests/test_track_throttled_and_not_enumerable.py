"""Public tracking cannot be used to enumerate cases: it needs the whole phone number left
with the case (four digits are not enough), and lookups are limited per case number and per
client, answering 429 with a Chinese message."""

from typing import Any

import pytest
from django.test import Client

from civicgrid.cases.choices import Channel
from civicgrid.cases.models import Case
from civicgrid.testing.cases import report_case
from civicgrid.testing.users import RoleUsers

TOO_MANY = "查询过于频繁"


@pytest.fixture
def hotline(users: RoleUsers) -> Case:
    return report_case(
        users.command, channel=Channel.HOTLINE, reporter_name="李四", reporter_phone="13800005678"
    )


def _track(client: Client, number: str, phone: str, ip: str = "203.0.113.5") -> Any:
    return client.post("/cases/track/", {"number": number, "phone": phone}, REMOTE_ADDR=ip)


def test_four_digits_are_not_enough(client: Client, hotline: Case) -> None:
    page = _track(client, hotline.number, "5678").content.decode()
    assert 'id="track-result"' not in page
    assert _track(client, hotline.number, "13800005678").status_code == 200


def test_one_case_number_is_limited_whatever_the_client(
    client: Client, hotline: Case, settings: Any
) -> None:
    settings.CASE_TRACK_LIMIT_PER_NUMBER = 3
    for n in range(3):
        assert (
            _track(client, hotline.number, "13900000000", ip=f"198.51.100.{n}").status_code == 200
        )
    refused = _track(client, hotline.number, "13800005678", ip="198.51.100.99")
    assert refused.status_code == 429
    assert TOO_MANY in refused.content.decode()
    assert 'id="track-result"' not in refused.content.decode()


def test_one_client_is_limited_across_numbers(client: Client, hotline: Case, settings: Any) -> None:
    settings.CASE_TRACK_LIMIT_PER_CLIENT = 5
    prefix = hotline.number.rsplit("-", 1)[0]
    for serial in range(2, 7):
        assert _track(client, f"{prefix}-{serial:04d}", "13800005678").status_code == 200
    refused = _track(client, hotline.number, "13800005678")
    assert refused.status_code == 429
    assert TOO_MANY in refused.content.decode()
    # Another client is not held back by the first one's attempts.
    assert _track(client, hotline.number, "13800005678", ip="192.0.2.7").status_code == 200


def test_default_limits_are_ten_per_number_and_thirty_per_client(
    client: Client, hotline: Case
) -> None:
    for n in range(10):
        assert _track(client, hotline.number, "13800005678", ip=f"10.0.0.{n}").status_code == 200
    assert _track(client, hotline.number, "13800005678", ip="10.0.1.1").status_code == 429
