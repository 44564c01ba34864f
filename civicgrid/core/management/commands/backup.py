"""Write one encrypted archive of the database and the stored files (docs/backup.md)."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from civicgrid.core.backup import BackupError, create_backup, prune_backups


class Command(BaseCommand):
    help = "备份数据库和存储的文件,用 BACKUP_KEY 加密为一个归档文件"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="归档文件路径;不给则写到 BACKUP_DIR 下的 civicgrid-<时间>.cgbak",
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=0,
            help="写完后在同一目录只保留最新的 N 个 civicgrid-*.cgbak(0 = 全部保留)",
        )
        parser.add_argument("--database", default="default", help="数据库别名")

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path | None = options["output"]
        if output is None:
            if not settings.BACKUP_DIR:
                raise CommandError("请用 --output 指定文件,或设置 BACKUP_DIR")
            directory = Path(settings.BACKUP_DIR)
            directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            output = directory / f"civicgrid-{timezone.localtime():%Y%m%d-%H%M%S}.cgbak"
        if options["keep"] < 0:
            raise CommandError("--keep 不能为负数")
        try:
            result = create_backup(output, using=options["database"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"已备份 {result.tables} 张表 {result.rows} 行、{result.files} 个文件"
            f"({result.bytes} 字节)→ {result.path}"
        )
        if options["keep"]:
            for path in prune_backups(output.parent, options["keep"]):
                self.stdout.write(f"已删除旧备份 {path}")
