"""The resolution page links to what the council decided on: the case (whose page carries the
议事会决议 panel) or the residents' proposal. Before, its only link went back to the meeting."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from civicgrid.cases.choices import Channel
from civicgrid.participation.councils import services
from civicgrid.participation.councils.choices import Decision, VoteChoice
from civicgrid.participation.councils.testing import attend, council_case, make_meeting

pytestmark = pytest.mark.django_db


def test_the_resolution_page_links_to_its_case(council: Any, users: Any) -> None:
    meeting = make_meeting(council, users.secretary)
    members = attend(meeting, 3)
    case = council_case(users.resident, channel=Channel.RESIDENT)
    item = services.item_add(actor=users.secretary, meeting=meeting, case=case)
    services.meeting_convene(actor=users.secretary, meeting=meeting)
    item.refresh_from_db()
    for member in members:
        services.vote_cast(actor=users.secretary, item=item, member=member, choice=VoteChoice.FOR)
    resolution = services.item_resolve(
        actor=users.secretary,
        item=item,
        decision=Decision.COMMUNITY,
        text="社区牵头协调物业清理",
        responsible="王主任",
        due_on=timezone.localdate() + timedelta(days=10),
    )
    client = Client()
    client.force_login(users.secretary)
    page = client.get(f"/councils/resolutions/{resolution.pk}/").content.decode()
    assert f'href="/cases/{case.pk}/" id="resolution-case"' in page
