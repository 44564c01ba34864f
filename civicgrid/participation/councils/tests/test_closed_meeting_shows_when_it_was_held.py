"""A meeting closed early shows when it really opened and closed: its heading only carries the
scheduled time, which for an early close is days after the meeting took place."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from civicgrid.participation.councils import services
from civicgrid.participation.councils.choices import MeetingStatus
from civicgrid.participation.councils.models import Meeting
from civicgrid.participation.councils.testing import make_meeting

pytestmark = pytest.mark.django_db


def test_the_closed_meeting_page_shows_the_real_times(council: Any, users: Any) -> None:
    meeting = make_meeting(council, users.secretary, status=MeetingStatus.CONVENED)
    Meeting.objects.filter(pk=meeting.pk).update(
        held_at=timezone.now() + timedelta(days=5), convened_at=timezone.now()
    )
    meeting.refresh_from_db()
    services.meeting_close(actor=users.secretary, meeting=meeting, reason="议程已提前议完")
    meeting.refresh_from_db()
    assert meeting.closed_at is not None
    client = Client()
    client.force_login(users.secretary)
    page = client.get(f"/councils/meetings/{meeting.pk}/").content.decode()
    closed = timezone.localtime(meeting.closed_at).strftime("%Y-%m-%d %H:%M")
    assert 'id="meeting-actual"' in page
    assert f"闭会 {closed}" in page
