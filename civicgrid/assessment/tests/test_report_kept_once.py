"""Generating a region's month twice keeps one row; the second run replaces the files (the
old ones are deleted) and the management command covers every street and district."""

from datetime import timedelta

from django.core.management import call_command

from civicgrid.assessment.models import AssessmentReport, ReportStatus
from civicgrid.assessment.reports import request_report
from civicgrid.assessment.rollup import rollup
from civicgrid.assessment.tests.history import DAY, crew, handled_case


def _case(city, users):
    handled_case(city.grids["a1_west"].code, **crew(users))
    rollup(DAY - timedelta(days=1), DAY + timedelta(days=1))


def test_generating_twice_keeps_one_row_and_replaces_files(
    city, users, django_capture_on_commit_callbacks
):
    _case(city, users)
    with django_capture_on_commit_callbacks(execute=True):
        first = request_report(city.street_a, DAY, users.command)
    first.refresh_from_db()
    assert first.status == ReportStatus.DONE
    old_pdf = first.pdf.name
    assert first.pdf.storage.exists(old_pdf)
    with django_capture_on_commit_callbacks(execute=True):
        second = request_report(city.street_a, DAY.replace(day=28), users.command)
    second.refresh_from_db()
    assert second.pk == first.pk
    assert AssessmentReport.objects.filter(region_code=city.street_a.code).count() == 1
    assert second.status == ReportStatus.DONE and second.pdf.name != old_pdf
    assert not first.pdf.storage.exists(old_pdf)


def test_a_queued_report_is_not_queued_twice(city, users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        request_report(city.street_a, DAY, users.command)
        request_report(city.street_a, DAY, users.command)
    assert len(callbacks) == 1
    assert AssessmentReport.objects.get().status == ReportStatus.QUEUED


def test_command_generates_every_street_and_district(city, users):
    _case(city, users)
    call_command("assessment_report", "--month", DAY.strftime("%Y-%m"))
    call_command("assessment_report", "--month", DAY.strftime("%Y-%m"))
    reports = AssessmentReport.objects.all()
    assert sorted(r.region_code for r in reports) == sorted(
        [city.district.code, city.street_a.code, city.street_b.code]
    )
    assert {r.status for r in reports} == {ReportStatus.DONE}
