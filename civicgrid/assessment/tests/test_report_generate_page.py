"""Asking for a report on the page queues it in the background and the list shows its
status; the API answers 202 with the same row."""

from datetime import timedelta

from civicgrid.assessment.models import AssessmentReport, ReportStatus
from civicgrid.assessment.rollup import rollup
from civicgrid.assessment.tests.history import DAY, crew, handled_case


def test_page_queues_and_lists_the_report(client, city, users, django_capture_on_commit_callbacks):
    handled_case(city.grids["a1_west"].code, **crew(users))
    rollup(DAY - timedelta(days=1), DAY + timedelta(days=1))
    client.force_login(users.command)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/assessment/reports/generate/", {"region": city.street_a.code, "month": "2026-10"}
        )
    assert response.status_code == 302
    report = AssessmentReport.objects.get()
    assert report.status == ReportStatus.DONE and report.requested_by == users.command
    body = client.get("/assessment/reports/").content.decode()
    assert "已生成" in body and f"/assessment/reports/{report.pk}/pdf/" in body
    api = client.post(
        "/api/v1/assessment/reports/",
        {"region_code": city.street_a.code, "month": "2026-10"},
        content_type="application/json",
    )
    assert api.status_code == 202
    assert api.json()["id"] == report.pk and api.json()["status"] == ReportStatus.QUEUED
    assert AssessmentReport.objects.count() == 1
