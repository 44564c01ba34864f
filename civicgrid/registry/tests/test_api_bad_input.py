"""Bad input to the registry API is a 422 with a Chinese message, never a database error or a
500: ``null`` in a PATCH text field, integers beyond 64 bits, impossible dates, NaN
coordinates."""

from typing import Any

import pytest

from civicgrid.registry.models import Person
from civicgrid.registry.tests.conftest import Ledger
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db
API = "/api/v1/registry"
HUGE = 2**64


def _messages(response: Any) -> str:
    return " ".join(str(item.get("msg", "")) for item in response.json()["detail"])


@pytest.mark.parametrize("field", ["name", "phone", "id_number", "relation", "workplace"])
def test_null_in_a_patch_text_field_is_refused(
    client: Any, users: RoleUsers, ledger: Ledger, field: str
) -> None:
    client.force_login(users.worker)
    response = client.patch(
        f"{API}/persons/{ledger.head.pk}", {field: None}, content_type="application/json"
    )
    assert response.status_code == 422
    assert "不能为空值" in _messages(response)
    assert Person.objects.get(pk=ledger.head.pk).name == "王建国"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/persons/{huge}", None),
        ("get", "/persons?household={huge}", None),
        ("get", "/dwellings?building={huge}", None),
        ("post", "/dwellings", {"building_id": HUGE, "room": "1"}),
        ("patch", "/buildings/{building}", {"floors": HUGE}),
        ("patch", "/persons/{person}", {"expected_stay_months": HUGE}),
        ("post", "/households/{household}/head", {"head_id": HUGE}),
    ],
)
def test_integers_beyond_64_bits_are_refused(
    client: Any, users: RoleUsers, ledger: Ledger, method: str, path: str, body: Any
) -> None:
    client.force_login(users.worker)
    url = API + path.format(
        huge=HUGE,
        building=ledger.building.pk,
        person=ledger.head.pk,
        household=ledger.household.pk,
    )
    if body is None:
        response = getattr(client, method)(url)
    else:
        response = getattr(client, method)(url, body, content_type="application/json")
    assert response.status_code == 422, response.content


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        ("/persons/{person}/deceased", {"died_on": "1800-01-01"}, "日期不能早于1900-01-01"),
        ("/persons/{person}/deceased", {"died_on": "2999-01-01"}, "日期不能晚于今天"),
        ("/persons/{person}/move-out", {"moved_on": "0001-01-01", "destination": "外地"}, "1900"),
        ("/dwellings/{dwelling}/move-in", {"name": "新人", "moved_on": "9999-12-31"}, "晚于今天"),
    ],
)
def test_dates_out_of_range_are_refused(
    client: Any, users: RoleUsers, ledger: Ledger, path: str, body: Any, message: str
) -> None:
    client.force_login(users.worker)
    url = API + path.format(person=ledger.head.pk, dwelling=ledger.dwelling.pk)
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 422, response.content
    assert message in _messages(response)


def test_the_same_date_rule_holds_on_the_page(
    client: Any, users: RoleUsers, ledger: Ledger
) -> None:
    client.force_login(users.worker)
    response = client.post(
        f"/registry/people/{ledger.head.pk}/deceased/", {"died_on": "1800-01-01"}
    )
    assert response.status_code == 200
    assert "日期不能早于1900-01-01" in response.content.decode()


def test_nan_coordinates_and_nul_characters_are_refused(
    client: Any, users: RoleUsers, ledger: Ledger
) -> None:
    client.force_login(users.worker)
    response = client.post(
        f"{API}/buildings",
        '{"address": "a", "lat": NaN, "lng": 106.7}',
        content_type="application/json",
    )
    assert response.status_code == 422
    response = client.patch(
        f"{API}/persons/{ledger.head.pk}", {"name": "王\x00"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert "空字符" in _messages(response)


def test_nul_characters_in_filters_are_refused(client: Any, users: RoleUsers) -> None:
    # PostgreSQL cannot compare text holding NUL: refuse it before any query.
    client.force_login(users.worker)
    for url in [f"{API}/persons?grid=52%00", f"{API}/organizations?q=%00"]:
        response = client.get(url)
        assert response.status_code == 422, url
        assert "空字符" in _messages(response)
