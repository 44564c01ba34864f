"""A joint meeting is not closed before its announced time by a slip: without a reason the
service, the API and the page refuse in Chinese and the meeting stays open; with a reason it
closes, the reason is kept on the meeting, shown on its page and audited
(``joint_meeting_close_early``). After the announced time no reason is asked."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from civicgrid.core.models import AuditEntry
from civicgrid.participation.joint import services
from civicgrid.participation.joint.choices import MeetingStatus
from civicgrid.participation.joint.models import JointMeeting
from civicgrid.participation.joint.testing import convened_meeting

pytestmark = pytest.mark.django_db

API = "/api/v1/participation/joint-meetings"


@pytest.fixture
def convened(users: Any, waiting_case: Any) -> JointMeeting:
    # convened_meeting announces it for tomorrow.
    meeting = convened_meeting(
        command=users.command, departments=[users.dept], cases=[waiting_case]
    )
    services.minutes_save(meeting=meeting, actor=users.command, minutes="会议纪要正文")
    return meeting


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _still_open(meeting: JointMeeting) -> None:
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CONVENED
    assert meeting.closed_at is None and meeting.early_close_reason == ""
    assert not AuditEntry.objects.filter(action="joint_meeting_close_early").exists()


def test_service_refuses_an_early_close_without_reason(convened: JointMeeting, users: Any) -> None:
    with pytest.raises(ValidationError, match="尚未到时间"):
        services.meeting_close(meeting=convened, actor=users.command)
    with pytest.raises(ValidationError, match="提前闭会的理由"):
        services.meeting_close(meeting=convened, actor=users.command, reason="   ")
    _still_open(convened)


def test_service_refuses_an_overlong_reason(convened: JointMeeting, users: Any) -> None:
    with pytest.raises(ValidationError, match="不能超过 200 个字"):
        services.meeting_close(meeting=convened, actor=users.command, reason="理" * 201)
    _still_open(convened)


def test_early_close_with_reason_is_kept_and_audited(convened: JointMeeting, users: Any) -> None:
    services.meeting_close(meeting=convened, actor=users.command, reason=" 议题已提前议完 ")
    convened.refresh_from_db()
    assert convened.status == MeetingStatus.CLOSED and convened.closed_at is not None
    assert convened.early_close_reason == "议题已提前议完"
    entry = AuditEntry.objects.get(action="joint_meeting_close_early")
    assert (entry.target_id, entry.reason) == (str(convened.pk), "议题已提前议完")


def test_after_the_announced_time_no_reason_is_asked(convened: JointMeeting, users: Any) -> None:
    JointMeeting.objects.filter(pk=convened.pk).update(
        starts_at=timezone.now() - timedelta(hours=2)
    )
    convened.refresh_from_db()
    services.meeting_close(meeting=convened, actor=users.command, reason="用不上的理由")
    convened.refresh_from_db()
    assert convened.status == MeetingStatus.CLOSED and convened.early_close_reason == ""
    assert not AuditEntry.objects.filter(action="joint_meeting_close_early").exists()


def test_api_asks_for_the_reason(convened: JointMeeting, users: Any) -> None:
    client = _client(users.command)
    url = f"{API}/{convened.pk}/close"
    refused = client.post(url, json.dumps({}), content_type="application/json")
    assert refused.status_code == 422
    assert "提前闭会的理由" in refused.json()["detail"]
    _still_open(convened)
    too_long = client.post(url, json.dumps({"reason": "理" * 201}), content_type="application/json")
    assert too_long.status_code == 422
    _still_open(convened)
    closed = client.post(url, json.dumps({"reason": "天气原因"}), content_type="application/json")
    assert closed.status_code == 200, closed.content
    assert closed.json()["status"] == "closed"
    assert closed.json()["early_close_reason"] == "天气原因"
    assert AuditEntry.objects.filter(action="joint_meeting_close_early").count() == 1


def test_page_warns_and_asks_for_the_reason(convened: JointMeeting, users: Any) -> None:
    client = _client(users.command)
    detail = f"/joint-meetings/{convened.pk}/"
    page = client.get(detail).content.decode()
    assert 'id="close-early-warning"' in page and 'name="reason"' in page
    for url, data in (
        (f"/joint-meetings/{convened.pk}/minutes/", {"minutes": "会议纪要正文", "close": "1"}),
        (f"/joint-meetings/{convened.pk}/close/", {}),
    ):
        refused = client.post(url, data, follow=True)
        assert "提前闭会的理由" in refused.content.decode()
        _still_open(convened)
    client.post(
        f"/joint-meetings/{convened.pk}/minutes/",
        {"minutes": "会议纪要正文", "close": "1", "reason": "议题已提前议完"},
    )
    convened.refresh_from_db()
    assert convened.status == MeetingStatus.CLOSED
    assert convened.early_close_reason == "议题已提前议完"
    assert AuditEntry.objects.filter(action="joint_meeting_close_early").count() == 1
    # The convener and the invited department both read when and why it closed.
    for user in (users.command, users.department):
        shown = _client(user).get(detail).content.decode()
        assert 'id="jm-closed-at"' in shown and "议题已提前议完" in shown
        assert 'id="close-early-warning"' not in shown


def test_page_after_the_announced_time_has_no_warning(convened: JointMeeting, users: Any) -> None:
    JointMeeting.objects.filter(pk=convened.pk).update(
        starts_at=timezone.now() - timedelta(minutes=5)
    )
    client = _client(users.command)
    page = client.get(f"/joint-meetings/{convened.pk}/").content.decode()
    assert 'id="close-early-warning"' not in page and 'name="reason"' not in page
    client.post(f"/joint-meetings/{convened.pk}/close/")
    convened.refresh_from_db()
    assert convened.status == MeetingStatus.CLOSED and convened.early_close_reason == ""
    shown = client.get(f"/joint-meetings/{convened.pk}/").content.decode()
    assert 'id="jm-closed-at"' in shown and 'id="early-close-reason"' not in shown
