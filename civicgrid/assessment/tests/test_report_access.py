"""Who reaches a kept report: the command centre of its street or district (and the system
administrator). Another street's command gets 404 for it, exactly as for a missing report,
on the page, the download and the API; a street's command does not see the district report;
roles that are not readers are refused; each download is audited."""

from datetime import date

import pytest
from django.core.files.base import ContentFile

from civicgrid.accounts.choices import Role
from civicgrid.assessment.models import AssessmentReport, ReportStatus
from civicgrid.core.models import AuditEntry
from civicgrid.testing.users import make_user

MONTH = date(2026, 10, 1)


def _kept(region):
    report = AssessmentReport.objects.create(
        region_code=region.code,
        region_name=str(region),
        month=MONTH,
        status=ReportStatus.DONE,
        requested_at="2026-11-03T05:00:00+08:00",
    )
    report.pdf.save("r.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    report.xlsx.save("r.xlsx", ContentFile(b"PK"), save=False)
    report.save()
    return report


@pytest.fixture
def kept(city):
    return {
        "a": _kept(city.street_a),
        "b": _kept(city.street_b),
        "district": _kept(city.district),
    }


@pytest.fixture
def command_b(city):
    return make_user("command_b", Role.COMMAND, city.street_b.code)


def test_list_shows_only_reports_in_jurisdiction(client, city, users, kept):
    client.force_login(users.command)
    body = client.get("/assessment/reports/").content.decode()
    assert f"/assessment/reports/{kept['a'].pk}/pdf/" in body
    assert f"/assessment/reports/{kept['b'].pk}/pdf/" not in body
    assert f"/assessment/reports/{kept['district'].pk}/pdf/" not in body


def test_district_command_sees_every_street(client, city, kept):
    leader = make_user("district_command", Role.COMMAND, city.district.code)
    client.force_login(leader)
    body = client.get("/assessment/reports/").content.decode()
    for report in kept.values():
        assert f"/assessment/reports/{report.pk}/xlsx/" in body


def test_other_street_command_gets_404(client, users, kept, command_b):
    client.force_login(command_b)
    assert client.get(f"/assessment/reports/{kept['a'].pk}/pdf/").status_code == 404
    assert client.get(f"/assessment/reports/{kept['district'].pk}/pdf/").status_code == 404
    assert client.get(f"/api/v1/assessment/reports/{kept['a'].pk}/pdf").status_code == 404
    assert client.get("/assessment/reports/999999/pdf/").status_code == 404
    listed = client.get("/api/v1/assessment/reports/").json()
    assert [r["id"] for r in listed] == [kept["b"].pk]


def test_other_street_command_cannot_generate_for_street_a(client, city, command_b):
    client.force_login(command_b)
    page = client.post(
        "/assessment/reports/generate/", {"region": city.street_a.code, "month": "2026-10"}
    )
    api = client.post(
        "/api/v1/assessment/reports/",
        {"region_code": city.street_a.code, "month": "2026-10"},
        content_type="application/json",
    )
    assert page.status_code == 404 and api.status_code == 404
    assert not AssessmentReport.objects.exists()


def test_non_readers_are_refused(client, users, kept):
    for user in (users.outsider, users.secretary, users.auditor, users.resident):
        client.force_login(user)
        assert client.get(f"/assessment/reports/{kept['a'].pk}/pdf/").status_code == 403
        assert client.get("/api/v1/assessment/reports/").status_code == 403


def test_download_is_served_and_audited(client, users, kept):
    client.force_login(users.command)
    response = client.get(f"/assessment/reports/{kept['a'].pk}/pdf/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    api = client.get(f"/api/v1/assessment/reports/{kept['a'].pk}/xlsx")
    assert api.status_code == 200
    entries = AuditEntry.objects.filter(action="assessment_report_download")
    assert sorted(e.field for e in entries) == ["pdf", "xlsx"]
    assert {e.target_id for e in entries} == {str(kept["a"].pk)}


def test_bad_input_is_a_clear_4xx(client, city, users):
    client.force_login(users.command)
    assert client.post("/assessment/reports/generate/", {}).status_code == 400
    bad = client.post(
        "/assessment/reports/generate/", {"region": city.street_a.code, "month": "2026-13"}
    )
    assert bad.status_code == 400 and "YYYY-MM" in bad.content.decode()
    future = client.post(
        "/api/v1/assessment/reports/",
        {"region_code": city.street_a.code, "month": "2099-01"},
        content_type="application/json",
    )
    assert future.status_code == 422
    assert client.get("/api/v1/assessment/reports/?month=xx").status_code == 422
    assert client.get("/assessment/reports/?month=xx").status_code == 200
