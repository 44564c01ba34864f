from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from civicgrid.accounts.models import User
from civicgrid.registry.choices import ImportKind
from civicgrid.registry.io.exports import error_report_xlsx
from civicgrid.registry.io.kinds import import_ledger


class Command(BaseCommand):
    help = (
        "导入台账表格(xlsx 或 CSV,中文表头,列顺序不限):"
        "building 楼栋、dwelling_household 房屋与住户、person 人口、organization 组织。"
        "可重复导入(按唯一标识更新,不会重复新增)。有被拒绝的行时列出行号、列、值和原因,"
        "其余行照常导入,并以退出码 2 结束。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=ImportKind.values, help="台账类型")
        parser.add_argument("file", type=Path, help="xlsx 或 CSV 文件")
        parser.add_argument("--scope", default="", help="只接受此区划/网格编码下的行")
        parser.add_argument("--user", help="以该用户的管辖范围导入,并记为修改人")
        parser.add_argument("--errors", type=Path, help="把错误明细写入此 xlsx 文件")

    def handle(self, *args: Any, **options: Any) -> None:
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"], is_active=True).first()
            if user is None:
                raise CommandError(f"用户 {options['user']} 不存在或已停用")
            if not (user.can_write and user.reads("ledgers")):
                # The same roles the upload page admits (WRITE_ROLES): an auditor or a
                # department account is refused before a row is read.
                raise CommandError(f"用户 {options['user']} 的角色无权导入台账")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"文件不存在:{path}")

        started = time.monotonic()
        last_shown = 0.0

        def progress(done: int, total: int) -> None:
            nonlocal last_shown
            now = time.monotonic()
            if done < total and now - last_shown < 0.5:
                return
            last_shown = now
            rate = done / max(now - started, 1e-6)
            percent = done * 100 // total if total else 100
            end = "\n" if done >= total else ""
            self.stderr.write(
                f"\r已处理 {done}/{total} 行({percent}%),{rate:,.0f} 行/秒", ending=end
            )
            self.stderr.flush()

        report = import_ledger(
            options["kind"],
            path,
            user=user,
            scope_code=options["scope"],
            progress=progress if sys.stderr.isatty() or options["verbosity"] > 0 else None,
        )
        elapsed = time.monotonic() - started
        self.stdout.write(f"{report.summary()},用时 {elapsed:.1f} 秒")
        for error in report.errors:
            self.stderr.write(f"错误:{error}")
        if options["errors"] and report.errors:
            options["errors"].write_bytes(error_report_xlsx(report.error_dicts()))
            self.stdout.write(f"错误明细已写入 {options['errors']}")
        if report.errors:
            raise CommandError(
                f"{report.rejected_rows} 行被拒绝(其余已导入),请修正后重新导入", returncode=2
            )
