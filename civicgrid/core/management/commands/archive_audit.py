"""Archive audit entries older than the retention period to a signed JSON-lines file, and
with --prune remove them from the database (the chain goes on from the archived last link)."""

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from civicgrid.core.audit_chain import archive, archive_signature_ok, verify


class Command(BaseCommand):
    help = "把保存期以前的审计记录归档到签名文件(--prune 同时从数据库移除)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--before", type=date.fromisoformat, required=True, help="YYYY-MM-DD")
        parser.add_argument("--out", type=Path, required=True, help="归档文件路径(.jsonl)")
        parser.add_argument("--prune", action="store_true", help="归档后从数据库移除这些记录")
        parser.add_argument("--check", action="store_true", help="只校验 --out 文件的签名")

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"]
        if options["check"]:
            if not out.is_file() or not archive_signature_ok(out):
                raise CommandError(f"{out}:签名不符,归档文件不可信")
            self.stdout.write(f"{out}:签名有效")
            return
        earliest = timezone.localdate() - timedelta(days=settings.AUDIT_RETENTION_DAYS)
        if options["before"] > earliest:
            raise CommandError(
                f"审计记录至少保存 {settings.AUDIT_RETENTION_DAYS} 天:--before 不能晚于 {earliest}"
            )
        if out.exists():
            raise CommandError(f"{out} 已存在,不覆盖")
        verdict = verify()
        if not verdict.ok:
            raise CommandError(f"审计链不完整,先查明再归档:{verdict.reason}")
        cutoff = timezone.make_aware(datetime.combine(options["before"], time.min))
        count = archive(before=cutoff, out=out, prune=options["prune"])
        done = "已归档并移除" if options["prune"] else "已归档"
        self.stdout.write(f"{done} {count} 条审计记录 → {out}")
