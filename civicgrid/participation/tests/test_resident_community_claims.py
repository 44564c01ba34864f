"""The resident's community lives in participation, in one place: reading it (pages, GET)
never writes; the claim is recorded when the resident chooses it or first proposes; the
community secretary lists the claims of their community by status and confirms or rejects
them (audited, scoped: another community's secretary and outsiders get 404); a rejected claim
no longer counts for councils nor volunteers, and the resident may claim again."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from civicgrid.accounts.choices import Role
from civicgrid.cases.choices import Channel
from civicgrid.core.models import AuditEntry
from civicgrid.participation import residents
from civicgrid.participation.choices import ClaimStatus
from civicgrid.participation.councils import services as councils
from civicgrid.participation.councils.testing import make_council
from civicgrid.participation.models import ResidentCommunity
from civicgrid.participation.volunteers import selectors as volunteers
from civicgrid.testing.cases import report_case
from civicgrid.testing.users import make_user

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def claimed(users: Any, city: Any) -> ResidentCommunity:
    residents.community_choose(actor=users.resident, code=city.comm_a1.code)
    return ResidentCommunity.objects.get(user=users.resident)


def test_get_pages_never_record_a_community(users: Any, city: Any) -> None:
    report_case(users.resident, channel=Channel.RESIDENT)
    client = _client(users.resident)
    for url in ("/councils/proposals/", "/volunteers/", "/councils/proposals/new/"):
        assert client.get(url).status_code in (200, 302), url
    assert not ResidentCommunity.objects.exists()
    assert residents.resident_community(users.resident) == city.comm_a1.code


def test_the_first_proposal_records_a_pending_claim(users: Any, city: Any) -> None:
    make_council(city.comm_a1.code)
    report_case(users.resident, channel=Channel.RESIDENT)
    councils.proposal_create(actor=users.resident, title="加装路灯", description="太黑")
    claim = ResidentCommunity.objects.get(user=users.resident)
    assert (claim.community_code, claim.status, claim.source) == (
        city.comm_a1.code,
        ClaimStatus.PENDING,
        "request",
    )


def test_councils_and_volunteers_read_the_one_place() -> None:
    assert councils.resident_community is residents.resident_community
    import inspect

    assert "participation.residents import resident_community" in inspect.getsource(
        volunteers.resident_upcoming
    )


def test_secretary_lists_and_confirms(claimed: ResidentCommunity, users: Any) -> None:
    client = _client(users.secretary)
    page = client.get("/community/manage/residents/").content.decode()
    assert f'id="claim-{claimed.pk}"' in page and "待确认" in page
    client.post(f"/community/manage/residents/{claimed.pk}/decide/", {"decision": "confirm"})
    claimed.refresh_from_db()
    assert claimed.status == ClaimStatus.CONFIRMED and claimed.decided_by == users.secretary
    assert AuditEntry.objects.filter(
        action="resident_community_confirm", target_id=str(claimed.pk)
    ).exists()
    assert (
        f'id="claim-{claimed.pk}"'
        not in client.get("/community/manage/residents/").content.decode()
    )
    confirmed = client.get("/community/manage/residents/?status=confirmed").content.decode()
    assert f'id="claim-{claimed.pk}"' in confirmed


def test_reject_needs_a_reason_and_stops_the_claim_counting(
    claimed: ResidentCommunity, users: Any, city: Any
) -> None:
    with pytest.raises(ValidationError, match="驳回时请填写理由"):
        residents.claim_decide(actor=users.secretary, claim=claimed, confirm=False)
    client = _client(users.secretary)
    client.post(
        f"/community/manage/residents/{claimed.pk}/decide/",
        {"decision": "reject", "reason": "查无此户"},
    )
    claimed.refresh_from_db()
    assert (claimed.status, claimed.reason) == (ClaimStatus.REJECTED, "查无此户")
    assert residents.resident_community(users.resident) is None
    assert councils.resident_community(users.resident) is None
    page = _client(users.resident).get("/councils/proposals/").content.decode()
    assert 'id="claim-rejected"' in page and "查无此户" in page
    # The resident may claim again, and waits for the secretary once more.
    residents.community_choose(actor=users.resident, code=city.comm_a2.code)
    claimed.refresh_from_db()
    assert (claimed.status, claimed.community_code) == (ClaimStatus.PENDING, city.comm_a2.code)


def test_scoped_to_the_secretarys_community(
    claimed: ResidentCommunity, users: Any, city: Any
) -> None:
    other = make_user("secretary_a2", Role.SECRETARY, city.comm_a2.code)
    client = _client(other)
    assert (
        f'id="claim-{claimed.pk}"'
        not in client.get("/community/manage/residents/").content.decode()
    )
    url = f"/community/manage/residents/{claimed.pk}/decide/"
    assert client.post(url, {"decision": "confirm"}).status_code == 404
    assert _client(users.outsider).post(url, {"decision": "confirm"}).status_code == 403
    assert _client(users.resident).post(url, {"decision": "confirm"}).status_code == 403
    claimed.refresh_from_db()
    assert claimed.status == ClaimStatus.PENDING


def test_api_lists_and_decides(claimed: ResidentCommunity, users: Any) -> None:
    client = _client(users.secretary)
    listed = client.get("/api/v1/participation/residents?status=pending").json()
    assert [c["id"] for c in listed] == [claimed.pk]
    url = f"/api/v1/participation/residents/{claimed.pk}/decide"
    refused = client.post(url, json.dumps({"decision": "reject"}), content_type="application/json")
    assert refused.status_code == 422 and "驳回时请填写理由" in refused.json()["detail"]
    done = client.post(url, json.dumps({"decision": "confirm"}), content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "confirmed"
    outsider = _client(make_user("secretary_b1", Role.SECRETARY, "520102002001"))
    assert outsider.get("/api/v1/participation/residents").json() == []
    assert (
        outsider.post(
            url, json.dumps({"decision": "reject", "reason": "x"}), content_type="application/json"
        ).status_code
        == 404
    )
