"""The one process that runs the periodic jobs (overdue scan, outbox retries, daily verdicts,
purges …) on their schedule, with APScheduler's cron triggers.

The schedule is data: ``settings.PERIODIC_JOBS`` maps a management command to a cron line, so a
deployment changes times without code and new apps add their jobs there. Run exactly one per
installation (docs/deploy.md); every job is idempotent, so a job that overlaps a manual run or
a restarted scheduler does no harm. A job that fails is logged and tried again at its next time;
it never stops the others.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections

log = logging.getLogger("civicgrid.scheduler")


def run_job(command: str, args: list[str]) -> None:
    close_old_connections()
    started = time.monotonic()
    try:
        call_command(command, *args)
    except Exception:
        log.exception("periodic job %s failed", command)
    else:
        log.info("periodic job %s done in %.1f s", command, time.monotonic() - started)
    finally:
        close_old_connections()


def jobs() -> list[tuple[str, list[str], CronTrigger]]:
    """The configured jobs, each checked: an unknown command or a bad cron line stops the
    scheduler at start-up instead of silently never running."""
    known = get_commands()
    out = []
    for line, cron in settings.PERIODIC_JOBS.items():
        command, *args = line.split()
        if command not in known:
            raise CommandError(f"PERIODIC_JOBS: 未知的命令 {command}")
        try:
            trigger = CronTrigger.from_crontab(cron, timezone=settings.TIME_ZONE)
        except ValueError as exc:
            raise CommandError(f"PERIODIC_JOBS: {line} 的时间表 {cron!r} 无效:{exc}") from exc
        out.append((command, args, trigger))
    return out


class Command(BaseCommand):
    help = "按 PERIODIC_JOBS 的时间表运行定时任务(每个部署只运行一个)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--list", action="store_true", help="列出定时任务及下次运行时间后退出")
        parser.add_argument("--run-now", action="store_true", help="启动时先把每个任务运行一次")

    def handle(self, *args: Any, **options: Any) -> None:
        scheduled = jobs()
        if options["list"]:
            for command, job_args, trigger in scheduled:
                upcoming = trigger.get_next_fire_time(None, trigger.start_date or _now())
                self.stdout.write(f"{' '.join([command, *job_args])}\t{upcoming:%Y-%m-%d %H:%M}")
            return
        scheduler = BlockingScheduler(timezone=settings.TIME_ZONE)
        for command, job_args, trigger in scheduled:
            scheduler.add_job(
                run_job, trigger, args=[command, job_args], id=" ".join([command, *job_args]),
                max_instances=1, coalesce=True, misfire_grace_time=600,
            )  # fmt: skip
            if options["run_now"]:
                run_job(command, job_args)
        self.stdout.write(f"定时任务进程已启动 / scheduler started: {len(scheduled)} jobs")
        try:
            scheduler.start()
        except (KeyboardInterrupt, SystemExit):
            scheduler.shutdown(wait=False)


def _now() -> Any:
    from django.utils import timezone

    return timezone.localtime()
