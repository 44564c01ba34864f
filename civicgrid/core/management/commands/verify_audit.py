"""Check the audit trail's hash chain and report the first broken link (non-zero exit)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from civicgrid.core.audit_chain import verify


class Command(BaseCommand):
    help = "校验审计记录的哈希链,报告第一个断开处"

    def handle(self, *args: Any, **options: Any) -> None:
        verdict = verify()
        if not verdict.ok:
            raise CommandError(f"审计链不完整:{verdict.reason}(之前 {verdict.checked} 条完好)")
        self.stdout.write(f"审计链完整:{verdict.checked} 条记录")
