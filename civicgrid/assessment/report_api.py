"""/api/v1/assessment/reports: the kept monthly reports, through the same services as the
pages (civicgrid/assessment/reports.py). Each operation declares its policy."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from civicgrid.assessment.models import REPORT_READERS, AssessmentReport, PeriodKind
from civicgrid.assessment.reports import (
    OPEN_MONTH_MESSAGE,
    access_report,
    download_name,
    is_requestable_month,
    request_report,
    requestable_regions,
)
from civicgrid.assessment.services import parse_period
from civicgrid.core.audit import audit_record
from civicgrid.core.files import protected_file_response
from civicgrid.core.policy import LIST, OBJECT, policy
from civicgrid.core.replica import reads_replica
from civicgrid.core.schemas import errors

router = Router(tags=["assessment"])

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class AssessmentReportOut(Schema):
    id: int
    region_code: str
    region_name: str
    month: date
    status: str
    status_label: str
    generated_at: datetime | None
    error: str
    xlsx_url: str | None
    pdf_url: str | None


class ReportIn(Schema):
    region_code: str
    month: str


def present_report(report: AssessmentReport) -> dict[str, Any]:
    """A report as the API shows it: download links only to the access-checked operation."""
    base = f"/api/v1/assessment/reports/{report.pk}"
    return {
        "id": report.pk,
        "region_code": report.region_code,
        "region_name": report.region_name,
        "month": report.month,
        "status": report.status,
        "status_label": str(report.get_status_display()),
        "generated_at": report.generated_at,
        "error": report.error,
        "xlsx_url": f"{base}/xlsx" if report.xlsx else None,
        "pdf_url": f"{base}/pdf" if report.pdf else None,
    }


def _month(value: str) -> date:
    try:
        return parse_period(value[:10], PeriodKind.MONTH)
    except ValueError as exc:
        raise HttpError(422, "月份格式应为 YYYY-MM") from exc


@router.get(
    "/",
    response={200: list[AssessmentReportOut], **errors(422)},
    summary="月度考核报告列表(本人管辖范围内的街道、区县)",
    auth=policy(roles=REPORT_READERS, scope=LIST).api,
)
@reads_replica
def list_reports(request: HttpRequest, month: str = "") -> list[dict[str, Any]]:
    reports = AssessmentReport.objects.visible_to(request.user)
    if month:
        reports = reports.filter(month=_month(month))
    return [present_report(r) for r in reports.order_by("-month", "region_code")[:200]]


@router.post(
    "/",
    response={202: AssessmentReportOut, **errors(404, 422)},
    summary="生成或重新生成某街道/区县某月的考核报告(后台生成,同一区划同一月份只保留一份)",
    auth=policy(roles=REPORT_READERS, scope=OBJECT).api,
)
def generate(request: HttpRequest, payload: ReportIn) -> Status:
    month = _month(payload.month)
    region = requestable_regions(request.user).filter(code=payload.region_code[:12]).first()
    if region is None:
        raise HttpError(404, "区划不存在或不在管辖范围内")
    if not is_requestable_month(month):
        raise HttpError(422, OPEN_MONTH_MESSAGE)
    return Status(202, present_report(request_report(region, month, request.user)))


@router.get(
    "/{pk}/{fmt}",
    response={**errors(404)},
    summary="下载考核报告文件(xlsx 或 pdf;每次下载记入审计)",
    auth=policy(roles=REPORT_READERS, scope=OBJECT).api,
    openapi_extra={
        "responses": {
            "200": {
                "description": "报告文件",
                "content": {
                    XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
                    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                },
            }
        }
    },
)
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    try:
        report = access_report(request.user, pk)
    except Http404 as exc:
        raise HttpError(404, "报告不存在") from exc
    if fmt not in ("xlsx", "pdf"):
        raise HttpError(404, "格式只能是 xlsx 或 pdf")
    stored = report.xlsx if fmt == "xlsx" else report.pdf
    if not stored:
        raise HttpError(404, "报告文件尚未生成")
    try:
        response = protected_file_response(stored, download_name=download_name(report, fmt))
    except Http404 as exc:
        raise HttpError(404, "报告文件不存在") from exc
    audit_record(
        actor=request.user,
        action="assessment_report_download",
        target=report,
        field=fmt,
        request=request,
    )
    return response
