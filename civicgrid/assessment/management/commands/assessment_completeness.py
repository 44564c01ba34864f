"""Store today's ledger completeness of every grid and population of every community
(idempotent: rerunning replaces today's rows). ``assessment_rollup`` does this too each night;
this command runs it alone."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from civicgrid.assessment.completeness import record_completeness
from civicgrid.assessment.population import record_population


class Command(BaseCommand):
    help = "保存各网格今日的台账完整率和各社区人口统计(可重复运行,同一天只保留一份)"

    def handle(self, *args: Any, **options: Any) -> None:
        written = record_completeness()
        self.stdout.write(f"台账完整率快照:{written} 个网格")
        self.stdout.write(f"人口统计快照:{record_population()} 行")
