from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civicgrid.geo.management.commands._report import print_report
from civicgrid.geo.services import import_grids


class Command(BaseCommand):
    help = (
        "从 GeoJSON FeatureCollection 导入网格。每个要素的 properties:code(15 位网格编码)"
        "或 community_code(12 位社区代码,可选 serial 序号;不给序号时按自西向东、自北向南编号),"
        "name(名称),kind(综合/专属),可选 valid_from(YYYY-MM-DD)。范围为 EPSG:4326 的"
        " Polygon/MultiPolygon;自相交的范围照常导入并给出警告,由覆盖检查列出。"
        "可重复导入(按编码或社区内同名网格更新)。有被拒绝的要素时列出序号、属性和原因,"
        "其余要素照常导入,并以退出码 2 结束。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="网格 GeoJSON 文件")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = import_grids(options["file"])
        except (OSError, ValueError) as exc:
            raise CommandError(f"无法读取文件:{exc}") from exc
        print_report(report, self.stdout, self.stderr)
