from typing import Any

from django.core.management.base import BaseCommand

from civicgrid.notifications.delivery import deliver_due, release_stale


class Command(BaseCommand):
    help = "发送到期的外发消息(邮件、推送、短信)并重试失败的消息;可多个进程同时运行。"

    def handle(self, *args: Any, **options: Any) -> None:
        released = release_stale()
        sent, failed = deliver_due()
        self.stdout.write(f"已发送 {sent} 条,失败待重试 {failed} 条,收回中断的发送 {released} 条")
