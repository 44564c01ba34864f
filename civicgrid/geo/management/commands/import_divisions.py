from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civicgrid.geo.choices import Level
from civicgrid.geo.management.commands._report import print_report
from civicgrid.geo.services import import_divisions


class Command(BaseCommand):
    help = (
        "从国家统计用区划代码表(CSV:代码,名称;可带表头、多余列,UTF-8 或 GB18030)导入行政区划。"
        "可重复导入(按代码更新名称,不会重复)。有被拒绝的行时列出行号、列和原因,"
        "其余行照常导入,并以退出码 2 结束。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="区划代码 CSV 文件")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = import_divisions(options["file"])
        except (OSError, ValueError) as exc:
            raise CommandError(f"无法读取文件:{exc}") from exc
        levels = ",".join(
            f"{label} {report.tally[value]}"
            for value, label in Level.choices
            if report.tally[value]
        )
        self.stdout.write(f"文件中有效区划:{levels or '无'}")
        print_report(report, self.stdout, self.stderr)
