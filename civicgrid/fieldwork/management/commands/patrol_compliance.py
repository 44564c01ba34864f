from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from civicgrid.core.worktime import is_workday
from civicgrid.fieldwork.compliance import clear_rest_days, clear_verdicts, compliance_for_day


def _first_of_last_month(day: date) -> date:
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


class Command(BaseCommand):
    help = (
        "计算一日双巡结果:--date 指定日期(默认昨天),--days N 连同此前共 N 天(可重复运行,结果相同);"
        "非工作日不判定"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="日期 YYYY-MM-DD,默认昨天")
        parser.add_argument("--days", type=int, default=1, help="向前共计算几天,默认 1")

    def handle(self, *args: Any, **options: Any) -> None:
        raw = options.get("date")
        try:
            day = date.fromisoformat(raw) if raw else timezone.localdate() - timedelta(days=1)
        except ValueError as exc:
            raise CommandError(f"日期格式应为 YYYY-MM-DD:{raw}") from exc
        days = options.get("days") or 1
        if not 1 <= days <= 366:
            raise CommandError("--days 应在 1 到 366 之间")
        if day > timezone.localdate():
            raise CommandError("不能计算未来日期")
        for offset in range(days - 1, -1, -1):
            current = day - timedelta(days=offset)
            if is_workday(current):
                rows = compliance_for_day(current)
                self.stdout.write(f"{current.isoformat()}:写入一日双巡结果 {rows} 条")
            else:
                removed = clear_verdicts([current])
                self.stdout.write(
                    f"{current.isoformat()}:非工作日,不判定一日双巡(清除旧结果 {removed} 条)"
                )
        if not raw:
            # Earlier versions judged every day, so rest days already stored carry 未巡查 rows
            # that assessment_rollup (run after this job) recounts into 应巡天数 for as long as
            # the month is open: from the first of last month. Only rest days are touched here;
            # re-judging past working days would apply today's grid assignments to them.
            removed = clear_rest_days(_first_of_last_month(day), day)
            if removed:
                self.stdout.write(f"清除非工作日的一日双巡结果 {removed} 条")
