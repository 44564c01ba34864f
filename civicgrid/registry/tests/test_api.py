from typing import Any

import pytest

from civicgrid.core.models import AuditEntry
from civicgrid.registry.models import Person
from civicgrid.registry.tests.conftest import Ledger, grant
from civicgrid.registry.tests.factories import centre, make_person, resident_id
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db
API = "/api/v1/registry"


def details(ledger: Ledger) -> list[str]:
    return [
        f"{API}/buildings/{ledger.building.pk}",
        f"{API}/dwellings/{ledger.dwelling.pk}",
        f"{API}/households/{ledger.household.pk}",
        f"{API}/persons/{ledger.head.pk}",
        f"{API}/organizations/{ledger.organization.pk}",
    ]


@pytest.mark.parametrize("role", ["outsider"])
def test_others_get_404_on_every_detail(
    client: Any, users: RoleUsers, ledger: Ledger, role: str
) -> None:
    client.force_login(getattr(users, role))
    for url in details(ledger):
        assert client.get(url).status_code == 404, url
    assert (
        client.patch(
            f"{API}/persons/{ledger.head.pk}", {"name": "x"}, content_type="application/json"
        ).status_code
        == 404
    )


def test_outsider_lists_are_empty(client: Any, users: RoleUsers, ledger: Ledger) -> None:
    client.force_login(users.outsider)
    for kind in ["buildings", "dwellings", "households", "persons", "organizations"]:
        assert client.get(f"{API}/{kind}").json()["count"] == 0, kind


def test_anonymous_is_refused(client: Any, ledger: Ledger) -> None:
    assert client.get(f"{API}/persons").status_code == 401


def test_person_output_is_masked(client: Any, users: RoleUsers, ledger: Ledger) -> None:
    client.force_login(users.worker)
    body = client.get(f"{API}/persons/{ledger.head.pk}").json()
    number = ledger.head.id_number
    assert body["id_number"] == f"{number[:4]}**********{number[-4:]}"
    assert body["phone"] == "138****5678"
    listing = client.get(f"{API}/persons").content.decode()
    assert number not in listing and "13812345678" not in listing


def test_unmask_api_needs_permission_and_reason(
    client: Any, users: RoleUsers, ledger: Ledger
) -> None:
    url = f"{API}/persons/{ledger.head.pk}/unmask"
    client.force_login(users.worker)
    assert (
        client.post(url, {"reason": "入户核实身份"}, content_type="application/json").status_code
        == 403
    )
    grant(users.command, "unmask_pii")
    client.force_login(users.command)
    short = client.post(url, {"reason": "看"}, content_type="application/json")
    assert short.status_code == 422
    assert "事由" in short.json()["detail"][0]["msg"]
    ok = client.post(url, {"reason": "入户核实身份"}, content_type="application/json")
    assert ok.json()["id_number"] == ledger.head.id_number
    assert AuditEntry.objects.filter(actor=users.command, result="ok").count() == 1


def test_building_create_locates_grid(client: Any, users: RoleUsers, city: TestCity) -> None:
    lat, lng = centre(city.grids["a1_west"])
    client.force_login(users.worker)
    response = client.post(
        f"{API}/buildings",
        {"address": "新华路8号", "lat": lat, "lng": lng},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["grid_code"] == city.grids["a1_west"].code


def test_building_outside_jurisdiction_is_refused(
    client: Any, users: RoleUsers, city: TestCity
) -> None:
    lat, lng = centre(city.grids["b1"])
    client.force_login(users.worker)
    response = client.post(
        f"{API}/buildings",
        {"address": "乙路1号", "lat": lat, "lng": lng},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "管辖范围" in response.json()["detail"][0]["msg"]


def test_person_create_rejects_bad_checksum_in_chinese(
    client: Any, users: RoleUsers, ledger: Ledger
) -> None:
    client.force_login(users.worker)
    response = client.post(
        f"{API}/persons",
        {"name": "李四", "id_number": "520102198005170012", "household_id": ledger.household.pk},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "id_number"]
    assert "校验位" in response.json()["detail"][0]["msg"]


def test_person_create_and_update(client: Any, users: RoleUsers, ledger: Ledger) -> None:
    client.force_login(users.worker)
    number = resident_id(male=False)
    response = client.post(
        f"{API}/persons",
        {
            "name": "李四",
            "id_number": number,
            "household_id": ledger.household.pk,
            "relation": "spouse",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["sex"] == "female"
    patched = client.patch(
        f"{API}/persons/{pk}", {"phone": "13900001111"}, content_type="application/json"
    )
    assert patched.json()["phone"] == "139****1111"
    assert Person.objects.get(pk=pk).phone == "13900001111"


def test_api_refuses_a_truncated_mobile_number(
    client: Any, users: RoleUsers, ledger: Ledger
) -> None:
    client.force_login(users.worker)
    response = client.patch(
        f"{API}/persons/{ledger.head.pk}", {"phone": "1398501"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"loc": ["body", "phone"], "msg": "手机号码应为以1开头的11位数字"}
    ]
    ledger.head.refresh_from_db()
    assert ledger.head.phone != "1398501"


def test_organisation_contact_phone_is_checked_like_a_person_phone(
    client: Any, users: RoleUsers, ledger: Ledger
) -> None:
    client.force_login(users.worker)
    response = client.patch(
        f"{API}/organizations/{ledger.organization.pk}",
        {"contact_phone": "1381234"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"loc": ["body", "contact_phone"], "msg": "手机号码应为以1开头的11位数字"}
    ]


def test_sensitive_tag_filter_refused_without_permission(
    client: Any, users: RoleUsers, ledger: Ledger
) -> None:
    client.force_login(users.worker)
    assert client.get(f"{API}/persons?tag=mental_disorder").status_code == 403
    assert client.get(f"{API}/persons?tag=elderly_alone").status_code == 200


@pytest.mark.parametrize("rows", [3, 25])
def test_person_list_query_count_is_constant(
    client: Any, users: RoleUsers, city: TestCity, django_assert_num_queries: Any, rows: int
) -> None:
    for i in range(rows):
        make_person(city.grids["a1_west"], name=f"人{i}")
    client.force_login(users.worker)
    with django_assert_num_queries(8):
        assert len(client.get(f"{API}/persons?size=50").json()["items"]) == rows


def test_move_out_to_another_community_through_the_api(
    client: Any, users: RoleUsers, city: TestCity, ledger: Ledger
) -> None:
    client.force_login(users.worker)
    response = client.post(
        f"{API}/persons/{ledger.head.pk}/move-out",
        {"moved_on": "2026-03-01", "to_grid_code": city.grids["b1"].code},
        content_type="application/json",
    )
    assert response.json()["grid_code"] == city.grids["b1"].code
    assert client.get(f"{API}/persons/{ledger.head.pk}").status_code == 404
    client.force_login(users.outsider)
    assert client.get(f"{API}/persons/{ledger.head.pk}").status_code == 200


def test_move_in_and_verify_through_the_api(client: Any, users: RoleUsers, ledger: Ledger) -> None:
    client.force_login(users.worker)
    response = client.post(
        f"{API}/dwellings/{ledger.dwelling.pk}/move-in",
        {
            "name": "新住户",
            "id_number": resident_id(),
            "moved_on": "2026-05-01",
            "residency": "floating",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert client.post(f"{API}/persons/{pk}/verify").status_code == 204
    assert Person.objects.get(pk=pk).verified_by == users.worker
    assert client.post(f"{API}/buildings/{ledger.building.pk}/verify").status_code == 204
    assert client.post(f"{API}/nonsense/{pk}/verify").status_code == 404


def test_outsider_cannot_act_on_a_person(client: Any, users: RoleUsers, ledger: Ledger) -> None:
    client.force_login(users.outsider)
    for action, body in [("deceased", {"died_on": "2026-01-01"}), ("verify", {})]:
        response = client.post(
            f"{API}/persons/{ledger.head.pk}/{action}", body, content_type="application/json"
        )
        assert response.status_code == 404, action
