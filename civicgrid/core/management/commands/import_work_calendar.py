from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civicgrid.core.imports import read_text
from civicgrid.core.worktime import calendar_gap_warning, work_calendar_import


class Command(BaseCommand):
    help = "录入放假安排:CSV 列为 date,type,note(type 为 休/班 或 holiday/workday);可重复执行。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="CSV 文件,UTF-8 或 GB18030")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            text = read_text(options["file"])
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        report = work_calendar_import(text=text)
        for error in report.errors:
            self.stderr.write(str(error))
        self.stdout.write(report.summary())
        warning = calendar_gap_warning()
        if warning:
            self.stdout.write(self.style.WARNING(warning))
        if not report.ok:
            # Good rows are already saved; a non-zero exit tells scripts to look at the rest.
            raise CommandError(f"{len(report.errors)} 行未导入")
