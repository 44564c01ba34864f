"""The API runs the same services: a secretary holds a meeting on a council-routed case through
it, residents propose and support; refusals come back as JSON with a Chinese ``detail``."""

import json
from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from civicgrid.cases.choices import CaseStatus
from civicgrid.participation.councils.testing import council_case, set_community

API = "/api/v1/participation/councils"


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(f"{API}{path}", json.dumps(body or {}), content_type="application/json")


def test_meeting_through_the_api(council: Any, users: Any) -> None:
    case = council_case(users.worker)
    sec = _client(users.secretary)
    held = (timezone.now() + timedelta(hours=1)).isoformat()
    meeting = _post(sec, f"/councils/{council.pk}/meetings", {"held_at": held, "place": "议事厅"})
    assert meeting.status_code == 201, meeting.content
    mid = meeting.json()["id"]
    item = _post(sec, f"/meetings/{mid}/items", {"case": case.pk})
    assert item.status_code == 201, item.content
    iid = item.json()["id"]
    members = [m["id"] for m in sec.get(f"{API}/councils/{council.pk}").json()["members"]]
    assert _post(sec, f"/meetings/{mid}/attendance", {"present": members[:3]}).status_code == 200
    early = _post(sec, f"/items/{iid}/votes", {"member": members[0], "choice": "for"})
    assert early.status_code == 422 and "会议尚未开始" in early.json()["detail"]
    assert _post(sec, f"/meetings/{mid}/convene").status_code == 200
    for member in members[:3]:
        vote = _post(sec, f"/items/{iid}/votes", {"member": member, "choice": "for"})
        assert vote.status_code == 201, vote.content
    again = _post(sec, f"/items/{iid}/votes", {"member": members[0], "choice": "against"})
    assert again.status_code == 422 and "不能更改" in again.json()["detail"]
    due = (timezone.localdate() + timedelta(days=10)).isoformat()
    resolved = _post(
        sec,
        f"/items/{iid}/resolution",
        {"decision": "resolved", "text": "协商清理", "responsible": "李主任", "due_on": due},
    )
    assert resolved.status_code == 201, resolved.content
    case.refresh_from_db()
    assert case.status == CaseStatus.TO_VERIFY
    assert [r["id"] for r in sec.get(f"{API}/resolutions").json()] == [resolved.json()["id"]]


def test_proposals_through_the_api(council: Any, users: Any, city: Any) -> None:
    set_community(users.resident, city.comm_a1.code)
    resident = _client(users.resident)
    created = _post(resident, "/proposals", {"title": "加装路灯", "description": "太黑"})
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    own = _post(resident, f"/proposals/{pk}/support")
    assert own.status_code == 422 and "自己" in own.json()["detail"]
    elsewhere = _post(
        resident,
        "/proposals",
        {"title": "x", "description": "y", "community_code": city.comm_a2.code},
    )
    assert elsewhere.status_code == 422
    assert _client(users.outsider).get(f"{API}/proposals/{pk}").status_code == 403
    assert _client(users.secretary).get(f"{API}/proposals/{pk}").status_code == 200
