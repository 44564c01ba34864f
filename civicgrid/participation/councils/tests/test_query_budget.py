"""Lists cost the same whatever their length (ARCHITECTURE rule 6)."""

from typing import Any

from django.test import Client

from civicgrid.participation.councils.choices import ProposalStatus
from civicgrid.participation.councils.testing import make_proposal
from civicgrid.testing.queries import count_queries


def test_proposal_list_queries_do_not_grow(council: Any, users: Any, city: Any) -> None:
    make_proposal(users.resident, city.comm_a1.code, title="一")
    for who in (users.resident, users.secretary):
        client = Client()
        client.force_login(who)
        few = count_queries(client, "/councils/proposals/")
        for n in range(5):
            make_proposal(
                users.resident, city.comm_a1.code, title=f"议题{n}", status=ProposalStatus.DECLINED
            )
        assert count_queries(client, "/councils/proposals/") == few
        client.logout()


def test_staff_home_queries_do_not_grow(council: Any, users: Any) -> None:
    from civicgrid.participation.councils.testing import make_meeting

    client = Client()
    client.force_login(users.secretary)
    make_meeting(council, users.secretary)
    few = count_queries(client, "/councils/")
    for _n in range(5):
        make_meeting(council, users.secretary)
    assert count_queries(client, "/councils/") == few
