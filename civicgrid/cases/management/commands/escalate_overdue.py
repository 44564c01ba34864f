from typing import Any

from django.core.management.base import BaseCommand

from civicgrid.cases.services import case_escalate_overdue


class Command(BaseCommand):
    help = "超期事件自动督办并通知上一级(可重复运行,可多个进程同时运行)"

    def handle(self, *args: Any, **options: Any) -> None:
        count = case_escalate_overdue()
        self.stdout.write(f"本次自动督办 {count} 件超期事件")
