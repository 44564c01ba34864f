"""The staff pages: a cadre drafts with an attachment and submits, the secretary sends it back
with a reason, then publishes; a file of a type not allowed is refused in Chinese."""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from civicgrid.participation.choices import NoticeStatus
from civicgrid.participation.models import Notice


def _form(city: Any, **extra: Any) -> dict[str, Any]:
    return {
        "kind": "notice",
        "title": "停水通知",
        "body": "周六停水\n请提前储水",
        "targets": [city.comm_a1.code],
        "starts_on": "2026-11-20",
        **extra,
    }


def test_draft_submit_return_publish_through_the_pages(city: Any, users: Any) -> None:
    cadre = Client()
    cadre.force_login(users.cadre)
    pdf = SimpleUploadedFile("停水说明.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = cadre.post("/community/manage/notices/new/", _form(city, attachments=[pdf]))
    notice = Notice.objects.get()
    assert response.status_code == 302 and notice.attachments.get().name == "停水说明.pdf"
    cadre.post(f"/community/manage/notices/{notice.pk}/submit/")
    secretary = Client()
    secretary.force_login(users.secretary)
    secretary.post(f"/community/manage/notices/{notice.pk}/return/", {"reason": "请写明停水时段"})
    notice.refresh_from_db()
    assert (notice.status, notice.return_reason) == (NoticeStatus.RETURNED, "请写明停水时段")
    secretary.post(f"/community/manage/notices/{notice.pk}/publish/")
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PUBLISHED and notice.reviewed_by == users.secretary


def test_attachment_of_a_disallowed_type_is_refused(city: Any, users: Any) -> None:
    cadre = Client()
    cadre.force_login(users.cadre)
    exe = SimpleUploadedFile("tool.exe", b"MZ", content_type="application/octet-stream")
    response = cadre.post("/community/manage/notices/new/", _form(city, attachments=[exe]))
    assert response.status_code == 200 and "类型不支持" in response.content.decode()
    assert not Notice.objects.exists()
