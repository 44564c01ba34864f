"""Recount the assessment facts of a range of local days (idempotent: delete + insert), count
the finished days of the screen's 30-day heat layer, and store today's ledger completeness per
grid and population per community (the nightly job; the ledger can only speak for today, so
whatever range is recounted, the snapshots are today's)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from civicgrid.assessment.completeness import record_completeness
from civicgrid.assessment.measures import local_tz
from civicgrid.assessment.population import record_population
from civicgrid.assessment.rollup import default_range, heat_window, rollup, rollup_heat


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"日期格式应为 YYYY-MM-DD:{value}") from exc


class Command(BaseCommand):
    help = "重新统计考核事实表(默认:上月1日至今天)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", help="开始日期 YYYY-MM-DD")
        parser.add_argument("--to", dest="end", help="结束日期 YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = default_range()
        if options["start"]:
            start = _day(options["start"])
        if options["end"]:
            end = _day(options["end"])
        if end < start:
            raise CommandError("结束日期早于开始日期")
        written = rollup(start, end)
        self.stdout.write(f"{start} – {end}: {written} 行")
        first_day, last_day = heat_window(timezone.now().astimezone(local_tz()).date())
        cells = rollup_heat(first_day, last_day)
        self.stdout.write(f"事件热力格 {first_day} – {last_day}:{cells} 格")
        grids = record_completeness()
        self.stdout.write(f"台账完整率快照:{grids} 个网格")
        self.stdout.write(f"人口统计快照:{record_population()} 行")
