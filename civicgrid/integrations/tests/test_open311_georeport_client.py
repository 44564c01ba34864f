"""A real GeoReport v2 client library (``georeport`` on PyPI) against the live server."""

from typing import Any

import pytest

from civicgrid.cases.choices import Channel
from civicgrid.cases.models import Case
from civicgrid.testing.cases import IN_A1_WEST

georeport = pytest.importorskip("georeport")

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_client(live_server: Any, city: Any, secadmin: Any, fmt: str) -> None:
    import requests

    from civicgrid.integrations.keys import OPEN311_POST
    from civicgrid.integrations.tests.conftest import make_key

    key = make_key(secadmin, city.street_a.code, [OPEN311_POST])
    client = georeport.GeoReport(f"{live_server.url}/open311/v2", output_format=fmt)
    services = client.get_service_list()
    assert any(s["service_code"] == "0102" for s in services)
    definition = client.get_service_definition("0102")
    assert definition["service_code"] == "0102"
    # The library reads only (it has no call to create a request): the POST is made
    # form-encoded exactly as the spec's example shows.
    created = requests.post(
        f"{live_server.url}/open311/v2/requests.json",
        data={
            "api_key": key.raw,
            "service_code": "0102",
            "lat": IN_A1_WEST[0],
            "long": IN_A1_WEST[1],
            "description": "路灯不亮",
        },
        timeout=10,
    ).json()
    number = created[0]["service_request_id"]
    assert Case.objects.get(number=number).channel == Channel.OPEN311
    found = client.get_service_request(number)
    assert found["service_request_id"] == number and found["status"] == "open"
    listed = client.get_service_requests(service_request_id=number)
    assert listed  # a list (JSON) or the one request (xmltodict gives a dict for one element)
