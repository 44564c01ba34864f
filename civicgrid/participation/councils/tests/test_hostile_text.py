"""Proposal text is plain: markup a resident types shows as text on every page."""

from typing import Any

from django.test import Client

from civicgrid.participation.councils.testing import make_proposal

HOSTILE = '<img src=x onerror="alert(1)">'


def test_hostile_proposal_text_stays_text(council: Any, users: Any, city: Any) -> None:
    proposal = make_proposal(users.resident, city.comm_a1.code, title=HOSTILE, description=HOSTILE)
    for who in (users.resident, users.secretary):
        client = Client()
        client.force_login(who)
        for url in ("/councils/proposals/", f"/councils/proposals/{proposal.pk}/"):
            page = client.get(url).content.decode()
            assert HOSTILE not in page
            assert "&lt;img src=x onerror=" in page
