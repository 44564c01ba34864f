"""Generate the monthly assessment reports (default: last month) of every street and district,
or of one region and what lies inside it. Run by the scheduler on the 3rd, after
``assessment_snapshot`` froze the month, so the reports say what the ranking published."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from civicgrid.assessment.measures import local_tz
from civicgrid.assessment.models import PeriodKind, ReportStatus
from civicgrid.assessment.reports import (
    OPEN_MONTH_MESSAGE,
    generate_report,
    is_requestable_month,
    month_label,
    report_regions,
    request_report,
)
from civicgrid.assessment.services import parse_period, period_start


class Command(BaseCommand):
    help = "生成街道、区县的月度考核报告(默认:上个月)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", help="月份 YYYY-MM(默认上个月)")
        parser.add_argument("--region", help="区划代码:只生成该区划及其下的街道")
        parser.add_argument(
            "--queue", action="store_true", help="交给后台任务生成(默认在本命令中直接生成)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["month"]:
                month = parse_period(options["month"], PeriodKind.MONTH)
            else:
                today = timezone.now().astimezone(local_tz()).date()
                month = period_start(
                    PeriodKind.MONTH, period_start(PeriodKind.MONTH, today) - timedelta(days=1)
                )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if not is_requestable_month(month):
            raise CommandError(OPEN_MONTH_MESSAGE)
        code = (options["region"] or "").strip()
        regions = list(report_regions(code or None))
        if code and not regions:
            raise CommandError(f"没有编码以 {code} 开头的街道或区县")
        failed = 0
        for region in regions:
            report = request_report(region, month)
            if not options["queue"] and report.status == ReportStatus.QUEUED:
                generate_report(report.pk)
            report.refresh_from_db()
            failed += report.status == ReportStatus.FAILED
            self.stdout.write(
                f"{region}({region.code}) {month_label(month)}:{report.get_status_display()}"
            )
        if failed:
            raise CommandError(f"{failed} 份报告生成失败")
