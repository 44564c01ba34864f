"""A resident the secretary finds not to live in the community: their supports stop counting
(kept as withdrawn), and a proposal they carried over the threshold collects support again."""

from typing import Any

from civicgrid.accounts.choices import Role
from civicgrid.participation.councils import services
from civicgrid.participation.councils.choices import ProposalStatus
from civicgrid.participation.councils.models import Support
from civicgrid.participation.councils.testing import make_proposal, set_community
from civicgrid.participation.models import ResidentCommunity
from civicgrid.participation.residents import claim_decide
from civicgrid.testing.users import make_user


def test_rejection_withdraws_the_residents_supports(council: Any, users: Any, city: Any) -> None:
    code = city.comm_a1.code
    proposal = make_proposal(users.resident, code)
    neighbours = [make_user(f"nb{i}", Role.RESIDENT) for i in range(council.support_threshold)]
    for person in neighbours:
        set_community(person, code)
        services.proposal_support(actor=person, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.READY

    outsider = neighbours[0]
    claim = ResidentCommunity.objects.get(user=outsider)
    claim_decide(actor=users.secretary, claim=claim, confirm=False, reason="查无此人")

    proposal.refresh_from_db()
    assert proposal.support_count == council.support_threshold - 1
    assert proposal.status == ProposalStatus.COLLECTING
    assert Support.objects.get(proposal=proposal, user=outsider).withdrawn_at is not None
    # The neighbours who do live there still count.
    assert Support.objects.filter(proposal=proposal, withdrawn_at__isnull=True).count() == (
        council.support_threshold - 1
    )
