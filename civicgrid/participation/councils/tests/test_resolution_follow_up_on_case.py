"""A resolution's follow-up (who, by when) is carried onto its case: the one CaseEvent the
resolution writes says it, and the case page shows it with the progress; the resident who
reported the case sees the date and the progress but not the name."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from civicgrid.cases.choices import Channel
from civicgrid.cases.models import CaseEvent
from civicgrid.participation.councils import services
from civicgrid.participation.councils.apps import case_panel
from civicgrid.participation.councils.choices import Decision, VoteChoice
from civicgrid.participation.councils.testing import attend, council_case, make_meeting

pytestmark = pytest.mark.django_db


def _resolved(council: Any, users: Any) -> Any:
    meeting = make_meeting(council, users.secretary)
    members = attend(meeting, 3)
    case = council_case(users.resident, channel=Channel.RESIDENT)
    item = services.item_add(actor=users.secretary, meeting=meeting, case=case)
    services.meeting_convene(actor=users.secretary, meeting=meeting)
    item.refresh_from_db()
    for member in members:
        services.vote_cast(actor=users.secretary, item=item, member=member, choice=VoteChoice.FOR)
    before = CaseEvent.objects.filter(case=case).count()
    services.item_resolve(
        actor=users.secretary,
        item=item,
        decision=Decision.COMMUNITY,
        text="社区牵头协调物业清理",
        responsible="王主任",
        due_on=timezone.localdate() + timedelta(days=10),
    )
    assert CaseEvent.objects.filter(case=case).count() == before + 1
    return case


def test_the_case_event_names_who_follows_up_and_by_when(council: Any, users: Any) -> None:
    case = _resolved(council, users)
    due = (timezone.localdate() + timedelta(days=10)).isoformat()
    last = CaseEvent.objects.filter(case=case).order_by("id").last()
    assert last is not None
    assert "王主任" in last.note and due in last.note


def test_the_case_page_shows_the_follow_up(council: Any, users: Any) -> None:
    case = _resolved(council, users)
    client = Client()
    client.force_login(users.secretary)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'id="council-follow-up"' in page
    assert "王主任" in page and (timezone.localdate() + timedelta(days=10)).isoformat() in page
    assert "落实中" in page


def test_the_reporter_sees_the_date_not_the_name(council: Any, users: Any) -> None:
    case = _resolved(council, users)
    panel = case_panel(case, users.resident)
    assert panel is not None
    (shown,) = panel["resolutions"]
    assert shown["responsible"] == "" and shown["url"] == ""
    assert shown["due_on"] == (timezone.localdate() + timedelta(days=10)).isoformat()
