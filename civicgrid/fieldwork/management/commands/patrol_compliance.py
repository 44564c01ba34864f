from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from civicgrid.fieldwork.compliance import compliance_for_day


class Command(BaseCommand):
    help = (
        "计算一日双巡结果:--date 指定日期(默认昨天),--days N 连同此前共 N 天(可重复运行,结果相同)"
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
            rows = compliance_for_day(current)
            self.stdout.write(f"{current.isoformat()}:写入一日双巡结果 {rows} 条")
