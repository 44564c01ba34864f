"""The kept monthly reports: list, ask for (re)generation, download (docs/architecture.md
"Assessment" and "One way in"). The reader's codes decide which regions they see; a download
goes through ``access_report`` and is audited."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civicgrid.assessment.models import REPORT_READERS, AssessmentReport, PeriodKind
from civicgrid.assessment.reports import (
    access_report,
    download_name,
    is_requestable_month,
    last_closed_month,
    month_label,
    request_report,
    requestable_regions,
)
from civicgrid.assessment.services import parse_period
from civicgrid.core.audit import audit_record
from civicgrid.core.files import protected_file_response
from civicgrid.core.policy import LIST, OBJECT, policy
from civicgrid.core.replica import reads_replica

FORMATS = ("xlsx", "pdf")


@require_GET
@policy(roles=REPORT_READERS, scope=LIST)
@reads_replica
def report_list(request: HttpRequest) -> HttpResponse:
    """The kept reports of the regions in the reader's jurisdiction, newest month first."""
    user: Any = request.user
    reports = AssessmentReport.objects.visible_to(user)
    month_value = (request.GET.get("month") or "")[:7]
    if month_value:
        try:
            reports = reports.filter(month=parse_period(month_value, PeriodKind.MONTH))
        except ValueError:
            messages.error(request, _("月份格式应为 YYYY-MM"))
            month_value = ""
    rows = [
        {
            "report": r,
            "month_label": month_label(r.month),
            "busy": r.status in ("queued", "running"),
        }
        for r in reports.order_by("-month", "region_code")[:200]
    ]
    return render(
        request,
        "assessment/reports.html",
        {
            "rows": rows,
            "month_value": month_value,
            "regions": requestable_regions(user),
            "any_busy": any(r["busy"] for r in rows),
            # The newest month a report may be generated for: the last one that has ended.
            "latest_month": f"{last_closed_month():%Y-%m}",
        },
    )


@require_POST
@policy(roles=REPORT_READERS, scope=OBJECT)
def report_generate(request: HttpRequest) -> HttpResponse:
    """Queue the report of one region and month (regenerating a kept one replaces its files);
    a region outside the reader's codes is 404, like a missing one."""
    user: Any = request.user
    code = (request.POST.get("region") or "").strip()[:12]
    month_value = (request.POST.get("month") or "").strip()[:10]
    if not code or not month_value:
        return render(
            request,
            "assessment/report_error.html",
            {"message": _("请选择区划并填写月份(YYYY-MM)")},
            status=400,
        )
    try:
        month = parse_period(month_value, PeriodKind.MONTH)
    except ValueError:
        return render(
            request,
            "assessment/report_error.html",
            {"message": _("月份格式应为 YYYY-MM")},
            status=400,
        )
    region = requestable_regions(user).filter(code=code).first()
    if region is None:
        raise Http404
    if not is_requestable_month(month):
        return render(
            request,
            "assessment/report_error.html",
            {"message": _("该月份尚未结束,月度考核报告须在月份结束后生成")},
            status=400,
        )
    report = request_report(region, month, user)
    messages.success(
        request,
        _("已提交生成:%(region)s %(month)s,状态:%(status)s")
        % {
            "region": report.region_name,
            "month": month_label(report.month),
            "status": report.get_status_display(),
        },
    )
    return redirect("assessment:reports")


@require_GET
@policy(roles=REPORT_READERS, scope=OBJECT)
def report_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    """One file of a kept report, after the access check; each download is audited."""
    report = access_report(request.user, pk)
    if fmt not in FORMATS:
        raise Http404
    stored = report.xlsx if fmt == "xlsx" else report.pdf
    if not stored:
        raise Http404
    response = protected_file_response(stored, download_name=download_name(report, fmt))
    audit_record(
        actor=request.user,
        action="assessment_report_download",
        target=report,
        field=fmt,
        request=request,
    )
    return response
