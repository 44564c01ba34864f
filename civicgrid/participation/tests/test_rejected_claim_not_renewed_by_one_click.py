"""A resident whose community claim was rejected cannot simply choose the same community again:
a pending claim counts at once, so one click would undo the secretary's decision. Choosing
another community still works; the page says why in Chinese."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from civicgrid.participation import residents
from civicgrid.participation.choices import ClaimStatus
from civicgrid.participation.models import ResidentCommunity

pytestmark = pytest.mark.django_db


def _rejected(users: Any, city: Any) -> ResidentCommunity:
    residents.community_choose(actor=users.resident, code=city.comm_a1.code)
    claim = ResidentCommunity.objects.get(user=users.resident)
    residents.claim_decide(actor=users.secretary, claim=claim, confirm=False, reason="查无此户")
    return claim


def test_the_rejected_community_cannot_be_chosen_again(users: Any, city: Any) -> None:
    claim = _rejected(users, city)
    with pytest.raises(ValidationError, match="社区已驳回"):
        residents.community_choose(actor=users.resident, code=city.comm_a1.code)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REJECTED
    assert residents.resident_community(users.resident) is None


def test_the_page_refuses_in_chinese_and_another_community_is_taken(users: Any, city: Any) -> None:
    claim = _rejected(users, city)
    client = Client()
    client.force_login(users.resident)
    page = client.post(
        "/councils/proposals/community/", {"community": city.comm_a1.code}, follow=True
    ).content.decode()
    assert "社区已驳回您在该社区的登记" in page
    residents.community_choose(actor=users.resident, code=city.comm_a2.code)
    claim.refresh_from_db()
    assert (claim.status, claim.community_code) == (ClaimStatus.PENDING, city.comm_a2.code)
