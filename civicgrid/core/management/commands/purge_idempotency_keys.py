"""Forget the client keys of repeated writes after 30 days (docs/architecture.md "Offline field
app"): a phone never stays offline that long, and the table stays small. Idempotent, safe to
run from several workers at once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from civicgrid.core.idempotency import KEEP_DAYS, purge_expired


class Command(BaseCommand):
    help = "删除超过保留期的幂等请求记录(默认 30 天)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=KEEP_DAYS, help="保留天数")

    def handle(self, *args: Any, **options: Any) -> None:
        removed = purge_expired(keep_days=max(1, options["days"]))
        self.stdout.write(f"已删除 {removed} 条过期的幂等请求记录")
