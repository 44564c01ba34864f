"""A monthly report is for a month that has ended: asking for the open month is refused with a
clear Chinese message on the page, in the API and by ``assessment_report``, and nothing is
kept (a kept report of the open month would publish figures that still move)."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from civicgrid.assessment.measures import local_tz
from civicgrid.assessment.models import AssessmentReport
from civicgrid.assessment.reports import is_requestable_month, last_closed_month, request_report

MESSAGE = "该月份尚未结束"


def this_month() -> str:
    return f"{timezone.now().astimezone(local_tz()).date():%Y-%m}"


def test_boundaries():
    assert not is_requestable_month(date(2026, 10, 1), today=date(2026, 10, 31))
    assert is_requestable_month(date(2026, 10, 1), today=date(2026, 11, 1))
    assert last_closed_month(date(2026, 11, 1)) == date(2026, 10, 1)
    assert last_closed_month(date(2026, 1, 15)) == date(2025, 12, 1)


def test_page_refuses_the_open_month(client, city, users):
    client.force_login(users.command)
    response = client.post(
        "/assessment/reports/generate/", {"region": city.street_a.code, "month": this_month()}
    )
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()
    # The form offers no month later than the last one that ended.
    page = client.get("/assessment/reports/").content.decode()
    assert f'max="{last_closed_month():%Y-%m}"' in page
    assert not AssessmentReport.objects.exists()


def test_api_refuses_the_open_month(client, city, users):
    client.force_login(users.command)
    response = client.post(
        "/api/v1/assessment/reports/",
        {"region_code": city.street_a.code, "month": this_month()},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert MESSAGE in response.json()["detail"]
    assert not AssessmentReport.objects.exists()


def test_command_refuses_the_open_month(city):
    with pytest.raises(CommandError, match=MESSAGE):
        call_command("assessment_report", "--month", this_month())
    assert not AssessmentReport.objects.exists()


def test_service_refuses_the_open_month(city):
    with pytest.raises(ValueError, match=MESSAGE):
        request_report(city.street_a, timezone.now().astimezone(local_tz()).date())
    assert not AssessmentReport.objects.exists()
