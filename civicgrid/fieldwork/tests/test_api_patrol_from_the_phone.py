"""The phone's patrol through the API: start (idempotent on the client key), upload points in
bulk (duplicates counted, bad points refused one by one with their index), end with metrics
and flags, report a problem found on the way."""

import json
from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from civicgrid.cases.models import Case
from civicgrid.fieldwork.models import Patrol, PatrolFinding, TrackPoint
from civicgrid.testing.cases import case_category
from civicgrid.testing.users import RoleUsers

API = "/api/v1/fieldwork"
LAT, LNG = 26.505, 106.705  # the middle of grid a1_west


def post(client: Client, path: str, body: Any) -> Any:
    return client.post(f"{API}{path}", json.dumps(body), content_type="application/json")


def walk(start: Any, n: int, step_s: int = 20) -> list[dict[str, Any]]:
    # About 1.2 m/s north along the grid's middle.
    return [
        {
            "at": (start + timedelta(seconds=step_s * i)).isoformat(),
            "lat": LAT - 0.004 + 0.0002 * i,
            "lng": LNG,
            "accuracy": 8,
        }
        for i in range(n)
    ]


def test_start_twice_with_one_client_key_is_one_patrol(client: Client, users: RoleUsers) -> None:
    client.force_login(users.worker)
    first = post(client, "/patrols", {"client_key": "phone-1"})
    again = post(client, "/patrols", {"client_key": "phone-1"})
    assert first.status_code == 201
    assert again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["grid_code"] == users.worker.scope_codes[0]
    assert Patrol.objects.filter(worker=users.worker).count() == 1


def test_points_upload_counts_duplicates_and_refuses_bad_points(
    client: Client, users: RoleUsers
) -> None:
    client.force_login(users.worker)
    start = timezone.now() - timedelta(minutes=30)
    pk = post(client, "/patrols", {"client_key": "k", "at": start.isoformat()}).json()["id"]
    points = walk(start, 40)
    bad = [
        {"at": points[0]["at"], "lat": 95, "lng": LNG},  # latitude out of range
        {"at": (timezone.now() + timedelta(hours=1)).isoformat(), "lat": LAT, "lng": LNG},
        {"at": "昨天", "lat": LAT, "lng": LNG},
        {"at": points[1]["at"], "lat": LAT, "lng": LNG, "accuracy": 900},
    ]
    response = post(client, f"/patrols/{pk}/points", {"points": points + bad})
    assert response.status_code == 200
    body = response.json()
    assert body["accepted"] == 40
    assert [r["index"] for r in body["refused"]] == [40, 41, 42, 43]
    assert all(r["reason"] for r in body["refused"])
    # The phone lost the answer and sends the same batch again: nothing new, no error.
    again = post(client, f"/patrols/{pk}/points", {"points": points}).json()
    assert again == {"accepted": 0, "duplicates": 40, "refused": []}
    assert TrackPoint.objects.filter(patrol_id=pk).count() == 40


def test_end_answers_metrics_and_flags(client: Client, users: RoleUsers) -> None:
    client.force_login(users.worker)
    start = timezone.now() - timedelta(minutes=20)
    pk = post(client, "/patrols", {"at": start.isoformat()}).json()["id"]
    points = walk(start, 30)
    points[15]["lng"] = LNG + 0.05  # one fix 5 km away: a GPS jump, far outside the grid
    post(client, f"/patrols/{pk}/points", {"points": points})
    response = post(client, f"/patrols/{pk}/end", {})
    assert response.status_code == 200
    body = response.json()
    assert body["open"] is False
    assert body["point_count"] == 30
    assert body["distance_m"] > 0
    kinds = {flag["kind"] for flag in body["flags"]}
    assert {"jump", "far_outside"} <= kinds
    # Ending again changes nothing.
    assert post(client, f"/patrols/{pk}/end", {}).json()["ended_at"] == body["ended_at"]


def test_problem_found_on_patrol_becomes_a_linked_case(client: Client, users: RoleUsers) -> None:
    category = case_category()
    client.force_login(users.worker)
    pk = post(client, "/patrols", {}).json()["id"]
    response = post(
        client,
        f"/patrols/{pk}/cases",
        {"category": category.pk, "description": "路边垃圾堆放", "lat": LAT, "lng": LNG},
    )
    assert response.status_code == 201, response.content
    case = Case.objects.get(pk=response.json()["id"])
    assert response.json()["number"] == case.number
    assert PatrolFinding.objects.filter(patrol_id=pk, case=case).exists()
