from typing import Any

from django.core.management.base import BaseCommand

from civicgrid.fieldwork.tasks import task_remind_due


class Command(BaseCommand):
    help = (
        "网格任务提醒:到期前 1 个工作日和超期后,通知尚未完成的网格的网格员"
        "(每天运行;可重复运行,同一提醒不会重复发送)"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = task_remind_due()
        self.stdout.write(f"网格任务提醒:发送 {sent} 条")
