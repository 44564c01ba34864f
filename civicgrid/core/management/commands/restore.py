"""Restore an archive written by `backup` into an empty database (docs/backup.md)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civicgrid.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "从 backup 生成的加密归档恢复数据库和文件(目标须为空库,除非 --force)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="备份归档文件")
        parser.add_argument("--yes", action="store_true", help="不再询问确认")
        parser.add_argument(
            "--force",
            action="store_true",
            help="目标数据库已有数据时仍恢复:其中的全部数据被备份内容替换",
        )
        parser.add_argument("--database", default="default", help="数据库别名")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"找不到备份文件 {path}")
        if not options["yes"]:
            warning = "目标数据库中的全部数据将被替换。" if options["force"] else ""
            answer = input(f"从 {path} 恢复到数据库 {options['database']}?{warning}输入 yes 继续:")
            if answer.strip().lower() != "yes":
                raise CommandError("已取消")
        try:
            result = restore_backup(
                path,
                using=options["database"],
                force=options["force"],
                progress=lambda message: self.stdout.write(message),
            )
        except BackupError as exc:
            raise CommandError(f"未恢复:{exc}") from exc
        self.stdout.write(
            f"已恢复 {result.tables} 张表 {result.rows} 行、{result.files} 个文件"
            + ("(并已迁移到本版本的结构)" if result.migrated_forward else "")
        )
        self.stdout.write("请运行 manage.py verify_audit 确认审计链完整")
