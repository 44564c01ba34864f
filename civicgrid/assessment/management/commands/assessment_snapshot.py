"""Freeze a closed period's results (default: last month). A frozen period is never rewritten
unless --recompute, which recounts its facts from the events first."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from civicgrid.assessment.measures import local_tz
from civicgrid.assessment.models import PeriodKind
from civicgrid.assessment.services import is_closed, parse_period, period_start, snapshot


class Command(BaseCommand):
    help = "冻结已结束周期的考核结果(默认:上个月)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", help="月份 YYYY-MM")
        parser.add_argument(
            "--kind", choices=PeriodKind.values, default=PeriodKind.MONTH, help="周期类型"
        )
        parser.add_argument("--start", help="周期内任一日期 YYYY-MM-DD(与 --kind 一起用)")
        parser.add_argument("--recompute", action="store_true", help="从事件重新计算已冻结的周期")

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options["kind"]
        value = options["month"] or options["start"]
        if options["month"]:
            kind = PeriodKind.MONTH
        try:
            if value:
                start = parse_period(value, kind)
            else:
                today = timezone.now().astimezone(local_tz()).date()
                start = period_start(kind, period_start(kind, today) - timedelta(days=1))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if not is_closed(kind, start):
            raise CommandError("该周期尚未结束,不能冻结")
        written = snapshot(kind, start, recompute=options["recompute"])
        if written:
            self.stdout.write(f"{kind} {start}: {written} 行")
        else:
            self.stdout.write(f"{kind} {start} 已冻结,未改动(需要重算请加 --recompute)")
