"""A meeting is not closed before its scheduled time by a slip: without a reason the service,
the API and the page refuse in Chinese and the meeting stays open; with a reason it closes, the
reason is kept on the meeting and audited. After the scheduled time no reason is asked."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from civicgrid.core.models import AuditEntry
from civicgrid.participation.councils import services
from civicgrid.participation.councils.choices import MeetingStatus
from civicgrid.participation.councils.models import Meeting
from civicgrid.participation.councils.testing import make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def convened(council: Any, users: Any) -> Meeting:
    # make_meeting schedules it an hour from now.
    return make_meeting(council, users.secretary, status=MeetingStatus.CONVENED)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_service_refuses_an_early_close_without_reason(convened: Meeting, users: Any) -> None:
    with pytest.raises(ValidationError, match="尚未到时间"):
        services.meeting_close(actor=users.secretary, meeting=convened)
    convened.refresh_from_db()
    assert convened.status == MeetingStatus.CONVENED and convened.closed_at is None


def test_early_close_with_reason_is_kept_and_audited(convened: Meeting, users: Any) -> None:
    services.meeting_close(actor=users.secretary, meeting=convened, reason="议程已提前议完")
    convened.refresh_from_db()
    assert convened.status == MeetingStatus.CLOSED
    assert convened.early_close_reason == "议程已提前议完"
    entry = AuditEntry.objects.get(action="council_meeting_close_early")
    assert (entry.target_id, entry.reason) == (str(convened.pk), "议程已提前议完")


def test_after_the_scheduled_time_no_reason_is_asked(convened: Meeting, users: Any) -> None:
    Meeting.objects.filter(pk=convened.pk).update(held_at=timezone.now() - timedelta(hours=2))
    convened.refresh_from_db()
    services.meeting_close(actor=users.secretary, meeting=convened)
    convened.refresh_from_db()
    assert convened.status == MeetingStatus.CLOSED and convened.early_close_reason == ""


def test_api_asks_for_the_reason(convened: Meeting, users: Any) -> None:
    client = _client(users.secretary)
    url = f"/api/v1/participation/councils/meetings/{convened.pk}/close"
    refused = client.post(url, json.dumps({}), content_type="application/json")
    assert refused.status_code == 422
    assert "提前闭会的理由" in refused.json()["detail"]
    convened.refresh_from_db()
    assert convened.status == MeetingStatus.CONVENED
    closed = client.post(url, json.dumps({"reason": "天气原因"}), content_type="application/json")
    assert closed.status_code == 200, closed.content
    assert closed.json()["early_close_reason"] == "天气原因"


def test_page_warns_and_asks_for_the_reason(convened: Meeting, users: Any) -> None:
    client = _client(users.secretary)
    page = client.get(f"/councils/meetings/{convened.pk}/").content.decode()
    assert 'id="close-early-warning"' in page and 'name="reason"' in page
    url = f"/councils/meetings/{convened.pk}/close/"
    refused = client.post(url, {}, follow=True)
    assert "提前闭会的理由" in refused.content.decode()
    convened.refresh_from_db()
    assert convened.status == MeetingStatus.CONVENED
    client.post(url, {"reason": "议程已提前议完"})
    convened.refresh_from_db()
    assert convened.status == MeetingStatus.CLOSED
    shown = client.get(f"/councils/meetings/{convened.pk}/").content.decode()
    assert "议程已提前议完" in shown
