from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civicgrid.geo.management.commands._report import print_report
from civicgrid.geo.services import import_boundaries


class Command(BaseCommand):
    help = (
        "从 GeoJSON FeatureCollection 导入区划边界(properties.code 为区划代码,范围为 EPSG:4326 的"
        " Polygon/MultiPolygon)。社区有了边界,覆盖检查才能找出未被网格覆盖的空隙。"
        "可重复导入。有被拒绝的要素时列出序号、属性和原因,其余照常导入,并以退出码 2 结束。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="边界 GeoJSON 文件")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = import_boundaries(options["file"])
        except (OSError, ValueError) as exc:
            raise CommandError(f"无法读取文件:{exc}") from exc
        print_report(report, self.stdout, self.stderr)
