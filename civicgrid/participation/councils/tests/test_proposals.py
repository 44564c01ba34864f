"""Resident proposals: the support threshold, once per resident, never one's own, withdrawals
kept; residents of another community neither see nor support; proposing goes to one's own
community only."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from civicgrid.accounts.choices import Role
from civicgrid.participation.councils import services
from civicgrid.participation.councils.choices import ProposalStatus
from civicgrid.participation.councils.models import Proposal, Support
from civicgrid.participation.councils.testing import make_proposal, set_community
from civicgrid.testing.users import make_user


def _neighbours(code: str, n: int) -> list[Any]:
    people = [make_user(f"nb{i}", Role.RESIDENT) for i in range(n)]
    for person in people:
        set_community(person, code)
    return people


def test_threshold_makes_it_ready_for_the_agenda(council: Any, users: Any, city: Any) -> None:
    proposal = make_proposal(users.resident, city.comm_a1.code)
    a, b, c = _neighbours(city.comm_a1.code, 3)
    services.proposal_support(actor=a, proposal=proposal)
    services.proposal_support(actor=b, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.COLLECTING
    services.proposal_support(actor=c, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.READY
    assert proposal.support_count == 3


def test_support_twice_or_own_is_refused(council: Any, users: Any, city: Any) -> None:
    proposal = make_proposal(users.resident, city.comm_a1.code)
    (a,) = _neighbours(city.comm_a1.code, 1)
    services.proposal_support(actor=a, proposal=proposal)
    with pytest.raises(ValidationError, match="已支持过"):
        services.proposal_support(actor=a, proposal=proposal)
    with pytest.raises(ValidationError, match="不能支持自己"):
        services.proposal_support(actor=users.resident, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.support_count == 1


def test_withdrawal_keeps_the_record(council: Any, users: Any, city: Any) -> None:
    proposal = make_proposal(users.resident, city.comm_a1.code)
    (a,) = _neighbours(city.comm_a1.code, 1)
    services.proposal_support(actor=a, proposal=proposal)
    services.proposal_withdraw_support(actor=a, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.support_count == 0
    support = Support.objects.get(proposal=proposal, user=a)
    assert support.withdrawn_at is not None


def test_resident_of_another_community_cannot_support_or_see(
    council: Any, users: Any, city: Any
) -> None:
    proposal = make_proposal(users.resident, city.comm_a1.code)
    (other,) = _neighbours(city.comm_a2.code, 1)
    with pytest.raises(ValidationError, match="本社区"):
        services.proposal_support(actor=other, proposal=proposal)
    client = Client()
    client.force_login(other)
    assert client.get(f"/councils/proposals/{proposal.pk}/").status_code == 404
    assert client.post(f"/councils/proposals/{proposal.pk}/support/").status_code == 404
    assert "小区加装路灯" not in client.get("/councils/proposals/").content.decode()


def test_proposal_for_another_community_is_refused(council: Any, users: Any, city: Any) -> None:
    set_community(users.resident, city.comm_a1.code)
    with pytest.raises(ValidationError, match="只能向您所在社区"):
        services.proposal_create(
            actor=users.resident, title="t", description="d", community_code=city.comm_a2.code
        )
    assert not Proposal.objects.exists()


def test_resident_community_comes_from_their_latest_request(users: Any, city: Any) -> None:
    from civicgrid.cases.choices import Channel
    from civicgrid.participation.models import ResidentCommunity
    from civicgrid.testing.cases import report_case

    report_case(users.resident, channel=Channel.RESIDENT)
    assert services.resident_community(users.resident) == city.comm_a1.code
    # Reading records nothing; the claim is recorded when the resident acts on it.
    assert not ResidentCommunity.objects.exists()


def test_staff_decline_with_reason_is_shown_to_the_proposer(
    council: Any, users: Any, city: Any
) -> None:
    proposal = make_proposal(users.resident, city.comm_a1.code)
    with pytest.raises(ValidationError):
        services.proposal_decline(actor=users.secretary, proposal=proposal, reason=" ")
    services.proposal_decline(actor=users.secretary, proposal=proposal, reason="属物业合同事项")
    client = Client()
    client.force_login(users.resident)
    page = client.get(f"/councils/proposals/{proposal.pk}/").content.decode()
    assert "属物业合同事项" in page
    assert "不予采纳" in page
