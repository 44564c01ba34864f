"""Re-encrypt all personal data with the current key.

Rotation: put the new key first in FIELD_ENCRYPTION_KEY (comma-separated, the old key after
it), restart, run this command, then remove the old key."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from civicgrid.core.pii import rotate_encrypted_fields


class Command(BaseCommand):
    help = "用当前密钥重新加密所有个人敏感信息(密钥轮换)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args: Any, **options: Any) -> None:
        result = rotate_encrypted_fields(batch_size=options["batch_size"])
        total = sum(result.values())
        for label, count in result.items():
            if count:
                self.stdout.write(f"  {label}: {count} 行")
        self.stdout.write(f"已用当前密钥重新加密 {total} 行。")
