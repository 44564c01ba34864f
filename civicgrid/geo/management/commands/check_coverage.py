from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civicgrid.geo.coverage import KIND_LABELS, check_coverage
from civicgrid.geo.models import Grid, Region


class Command(BaseCommand):
    help = (
        "检查某社区或街道(或更高层级)内现行网格的覆盖:空隙、重叠和无效(自相交)范围,"
        "逐条列出类型、网格、面积(平方米)和位置(纬度, 经度)。有问题时退出码为 1,无问题为 0。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="区划代码(街道 9 位、社区 12 位等)或网格编码")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["code"].strip()
        if not (
            Region.objects.filter(code=code).exists() or Grid.objects.filter(code=code).exists()
        ):
            raise CommandError(f"未找到区划或网格代码 {code}")
        problems = check_coverage(code)
        if not problems:
            self.stdout.write(f"{code}:覆盖完整,没有空隙、重叠或无效范围。")
            return
        for p in problems:
            self.stdout.write(
                f"{KIND_LABELS[p.kind]}\t{'、'.join(p.codes)}\t{p.area_m2:.1f} 平方米\t"
                f"位置 {p.location[0]:.6f}, {p.location[1]:.6f}\t{p.message}"
            )
        raise CommandError(f"{code}:发现 {len(problems)} 处覆盖问题", returncode=1)
