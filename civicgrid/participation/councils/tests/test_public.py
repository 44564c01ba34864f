"""Resolutions are public: the community page's council section shows upcoming meetings and
recent resolutions, the month's disclosure lists the resolutions; neither names a resident nor a
case number."""

from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from civicgrid.participation.councils import services
from civicgrid.participation.councils.choices import Decision, VoteChoice
from civicgrid.participation.councils.testing import attend, council_case, make_meeting
from civicgrid.participation.disclosure import compute_disclosure


def _resolved(council: Any, users: Any) -> Any:
    meeting = make_meeting(council, users.secretary)
    members = attend(meeting, 3)
    case = council_case(users.worker)
    item = services.item_add(actor=users.secretary, meeting=meeting, case=case)
    services.meeting_convene(actor=users.secretary, meeting=meeting)
    item.refresh_from_db()
    for member in members:
        services.vote_cast(actor=users.secretary, item=item, member=member, choice=VoteChoice.FOR)
    services.item_resolve(
        actor=users.secretary,
        item=item,
        decision=Decision.COMMUNITY,
        text="物业两周内清运",
        responsible="李主任",
        due_on=timezone.localdate() + timedelta(days=14),
    )
    return case


def test_portal_shows_meetings_and_resolutions(council: Any, users: Any, city: Any) -> None:
    case = _resolved(council, users)
    upcoming = make_meeting(council, users.secretary)
    upcoming.held_at = timezone.now() + timedelta(days=3)
    upcoming.place = "第二会议室"
    upcoming.save()
    page = Client().get(f"/community/{city.comm_a1.code}/").content.decode()
    assert 'id="portal-council"' in page
    assert "物业两周内清运" in page
    assert "第二会议室" in page
    assert case.number not in page
    assert "成员1" not in page


def test_disclosure_counts_the_months_resolutions(council: Any, users: Any, city: Any) -> None:
    _resolved(council, users)
    month = timezone.localdate().replace(day=1)
    figures = compute_disclosure(city.comm_a1.code, month)
    assert [r["text"] for r in figures["council_resolutions"]] == ["物业两周内清运"]
    street = compute_disclosure(city.street_a.code, month)
    assert len(street["council_resolutions"]) == 1
    assert compute_disclosure(city.comm_a2.code, month)["council_resolutions"] == []


def test_disclosure_page_lists_resolutions(council: Any, users: Any, city: Any) -> None:
    from civicgrid.participation.disclosure import publish_disclosure

    _resolved(council, users)
    month = timezone.localdate().replace(day=1)
    publish_disclosure(month, codes=[city.comm_a1.code])
    page = Client().get(f"/community/{city.comm_a1.code}/disclosure/?month={month:%Y-%m}")
    text = page.content.decode()
    assert 'id="disclosure-council"' in text
    assert "物业两周内清运" in text
