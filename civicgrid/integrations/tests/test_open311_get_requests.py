"""GET requests with the documented filters, GET one request, unknown → 404 in format."""

import xml.etree.ElementTree as ET
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from civicgrid.cases.choices import CaseStatus, Channel
from civicgrid.cases.models import Case
from civicgrid.testing.cases import case_category, put_in_status, report_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def requests(users: Any) -> dict[str, Case]:
    now = timezone.now()
    made = {
        "open": report_case(users.command, channel=Channel.OPEN311, at=now - timedelta(days=1)),
        "other_code": report_case(
            users.command,
            channel=Channel.OPEN311,
            at=now - timedelta(days=2),
            category=case_category("0101"),
        ),
        "old": report_case(users.command, channel=Channel.OPEN311, at=now - timedelta(days=120)),
        "closed": report_case(users.command, channel=Channel.OPEN311, at=now - timedelta(days=3)),
        # Not through Open311: never published here.
        "walkin": report_case(users.worker, channel=Channel.WALK_IN, at=now - timedelta(days=1)),
    }
    made["closed"] = put_in_status(made["closed"], CaseStatus.CLOSED)
    return made


def _ids(response: Any) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["service_request_id"] for row in response.json()}


def test_default_is_the_last_90_days_of_open311_requests(requests: dict[str, Case]) -> None:
    found = _ids(Client().get("/open311/v2/requests.json"))
    assert found == {requests[k].number for k in ("open", "other_code", "closed")}


def test_filters(requests: dict[str, Case]) -> None:
    client = Client()
    url = "/open311/v2/requests.json"
    assert _ids(client.get(url, {"status": "closed"})) == {requests["closed"].number}
    assert requests["closed"].number not in _ids(client.get(url, {"status": "open"}))
    assert _ids(client.get(url, {"service_code": "0101"})) == {requests["other_code"].number}
    start = (timezone.now() - timedelta(days=150)).isoformat()
    end = (timezone.now() - timedelta(days=100)).isoformat()
    assert _ids(client.get(url, {"start_date": start, "end_date": end})) == {requests["old"].number}
    wanted = f"{requests['old'].number},{requests['walkin'].number}"
    # service_request_id overrides the other filters; a case from another channel stays hidden.
    assert _ids(client.get(url, {"service_request_id": wanted, "status": "closed"})) == {
        requests["old"].number
    }


def test_bad_filters_are_400(requests: dict[str, Case]) -> None:
    client = Client()
    for params in (
        {"status": "pending"},
        {"start_date": "yesterday"},
        {"start_date": "2026-01-01T00:00:00+08:00", "end_date": "2026-06-01T00:00:00+08:00"},
    ):
        response = client.get("/open311/v2/requests.json", params)
        assert response.status_code == 400, params
        assert response.json()[0]["code"] == 400


def test_one_request_json_and_xml(requests: dict[str, Case]) -> None:
    case = requests["closed"]
    [row] = Client().get(f"/open311/v2/requests/{case.number}.json").json()
    assert row["service_request_id"] == case.number
    assert row["status"] == "closed"
    assert row["service_code"] == case.category.code
    assert row["requested_datetime"].endswith("+08:00")
    root = ET.fromstring(Client().get(f"/open311/v2/requests/{case.number}.xml").content)
    assert root.tag == "service_requests"
    assert root.findtext("request/service_request_id") == case.number
    assert root.findtext("request/status") == "closed"


def test_unknown_request_is_404_in_format(requests: dict[str, Case]) -> None:
    response = Client().get("/open311/v2/requests/NOPE-1.json")
    assert response.status_code == 404 and response.json()[0]["code"] == 404
    # A case that did not come through Open311 reads as unknown too.
    response = Client().get(f"/open311/v2/requests/{requests['walkin'].number}.xml")
    assert response.status_code == 404
    assert ET.fromstring(response.content).findtext("error/code") == "404"


def test_token_resolves_to_the_request(requests: dict[str, Case]) -> None:
    number = requests["open"].number
    [row] = Client().get(f"/open311/v2/tokens/{number}.json").json()
    assert row == {"service_request_id": number, "token": number}
    assert Client().get("/open311/v2/tokens/nope.json").status_code == 404
