"""A cadre drafts; the secretary publishes for the community (or sends it back with a reason);
a street-wide notice needs the street command centre. Withdrawing keeps the record."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from civicgrid.participation import services
from civicgrid.participation.choices import NoticeStatus
from civicgrid.participation.models import Notice


def _draft(user: Any, *codes: str) -> Notice:
    return services.notice_draft(
        actor=user, title="停水通知", body="周六停水", targets=codes, starts_on=timezone.localdate()
    )


def test_cadre_drafts_secretary_publishes(city: Any, users: Any) -> None:
    notice = _draft(users.cadre, city.comm_a1.code)
    with pytest.raises(PermissionDenied):
        services.notice_publish(notice=notice, actor=users.cadre)
    services.notice_submit(notice=notice, actor=users.cadre)
    services.notice_publish(notice=notice, actor=users.secretary)
    notice.refresh_from_db()
    assert (notice.status, notice.reviewed_by) == (NoticeStatus.PUBLISHED, users.secretary)


def test_cadre_cannot_publish_through_the_page_or_api(city: Any, users: Any) -> None:
    notice = _draft(users.cadre, city.comm_a1.code)
    client = Client()
    client.force_login(users.cadre)
    client.post(f"/community/manage/notices/{notice.pk}/publish/")
    response = client.post(
        f"/api/v1/participation/notices/{notice.pk}/publish",
        data="{}",
        content_type="application/json",
    )
    assert response.status_code == 403
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.DRAFT


def test_send_back_needs_a_reason_and_the_cadre_can_resubmit(city: Any, users: Any) -> None:
    notice = _draft(users.cadre, city.grids["a1_west"].code)
    services.notice_submit(notice=notice, actor=users.cadre)
    with pytest.raises(ValidationError):
        services.notice_return(notice=notice, actor=users.secretary, reason="")
    services.notice_return(notice=notice, actor=users.secretary, reason="请补充停水时间")
    assert notice.status == NoticeStatus.RETURNED and notice.return_reason == "请补充停水时间"
    services.notice_submit(notice=notice, actor=users.cadre)
    assert notice.status == NoticeStatus.PENDING


def test_street_wide_notice_needs_the_command_centre(city: Any, users: Any) -> None:
    notice = _draft(users.command, city.street_a.code)
    services.notice_submit(notice=notice, actor=users.command)
    with pytest.raises(PermissionDenied):
        services.notice_publish(notice=notice, actor=users.secretary)
    services.notice_publish(notice=notice, actor=users.command)
    assert notice.status == NoticeStatus.PUBLISHED


def test_withdraw_hides_the_notice_and_keeps_the_record(city: Any, users: Any) -> None:
    notice = _draft(users.secretary, city.comm_a1.code)
    services.notice_publish(notice=notice, actor=users.secretary)
    assert Client().get(f"/community/notices/{notice.pk}/").status_code == 200
    services.notice_withdraw(notice=notice, actor=users.secretary, reason="信息有误")
    assert Client().get(f"/community/notices/{notice.pk}/").status_code == 404
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.WITHDRAWN and notice.read_count == 1
    assert notice.withdrawn_at is not None
