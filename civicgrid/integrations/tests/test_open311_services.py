"""GET services and a service definition, in JSON and in XML (parsed with ElementTree)."""

import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.test import Client

from civicgrid.cases.models import Category
from civicgrid.testing.cases import ensure_case_seeds

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeds(db: Any) -> None:
    ensure_case_seeds()


def test_services_json(seeds: None) -> None:
    response = Client().get("/open311/v2/services.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    services = response.json()
    minors = Category.objects.current().minors().count()
    assert len(services) == minors
    first = next(s for s in services if s["service_code"] == "0102")
    category = Category.objects.select_related("parent").get(code="0102")
    assert first["service_name"] == category.name
    assert first["group"] == category.parent.name
    assert first["type"] == "realtime" and first["metadata"] is True


def test_services_xml(seeds: None) -> None:
    response = Client().get("/open311/v2/services.xml")
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(response.content)
    assert root.tag == "services"
    codes = [s.findtext("service_code") for s in root.findall("service")]
    assert "0102" in codes
    service = root.find("service[service_code='0102']")
    assert service is not None
    assert service.findtext("metadata") == "true"
    assert service.findtext("type") == "realtime"
    assert service.findtext("group")


def test_service_definition_json_and_xml(seeds: None) -> None:
    data = Client().get("/open311/v2/services/0102.json").json()
    assert data["service_code"] == "0102"
    [attribute] = data["attributes"]
    assert attribute["code"] == "urgent" and attribute["datatype"] == "singlevaluelist"
    assert {v["key"] for v in attribute["values"]} == {"0", "1"}

    root = ET.fromstring(Client().get("/open311/v2/services/0102.xml").content)
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "0102"
    attr = root.find("attributes/attribute")
    assert attr is not None
    assert attr.findtext("variable") == "true" and attr.findtext("order") == "1"
    assert [v.findtext("key") for v in attr.findall("values/value")] == ["0", "1"]


def test_unknown_service_is_404_in_format(seeds: None) -> None:
    response = Client().get("/open311/v2/services/9999.json")
    assert response.status_code == 404
    [error] = response.json()
    assert error["code"] == 404 and "9999" in error["description"]
    response = Client().get("/open311/v2/services/9999.xml")
    assert response.status_code == 404
    root = ET.fromstring(response.content)
    assert root.tag == "errors" and root.findtext("error/code") == "404"


def test_discovery(seeds: None) -> None:
    data = Client().get("/open311/v2/discovery.json").json()
    [endpoint] = data["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2/")
    root = ET.fromstring(Client().get("/open311/v2/discovery.xml").content)
    assert root.findtext("endpoints/endpoint/type") == "production"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == [
        "text/xml",
        "application/json",
    ]
