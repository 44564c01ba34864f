from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandParser

from civicgrid.registry.choices import ImportStatus
from civicgrid.registry.io.jobs import discard_upload, masked_errors
from civicgrid.registry.models import ImportJob

UPLOAD_ROOT = "imports"


class Command(BaseCommand):
    help = (
        "清理已结束的台账导入留下的个人信息:删除已完成或失败任务的上传文件(含未被任何任务"
        "引用的旧文件),并把旧任务错误明细中的证件号码、电话、住址脱敏。可重复运行。"
        "进行中的任务不受影响。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="只列出将要处理的数量")

    def handle(self, *args: Any, **options: Any) -> None:
        dry = options["dry_run"]
        active = (ImportStatus.PENDING, ImportStatus.RUNNING)
        ended = ImportJob.objects.exclude(status__in=active)

        files = 0
        for job in ended.exclude(file="").only("pk", "file").iterator(chunk_size=500):
            files += 1
            if not dry:
                discard_upload(job)

        kept = set(ImportJob.objects.filter(status__in=active).values_list("file", flat=True))
        orphans = [name for name in _stored(UPLOAD_ROOT) if name not in kept]
        if not dry:
            for name in orphans:
                default_storage.delete(name)

        masked = 0
        for job in ended.exclude(errors=[]).only("pk", "kind", "errors").iterator(chunk_size=500):
            errors = masked_errors(job.kind, job.errors)
            if errors != job.errors:
                masked += 1
                if not dry:
                    ImportJob.objects.filter(pk=job.pk).update(errors=errors)

        verb = "将" if dry else "已"
        self.stdout.write(
            f"{verb}删除上传文件 {files + len(orphans)} 个(其中无任务引用的 {len(orphans)} 个),"
            f"{verb}脱敏错误明细 {masked} 个任务"
        )


def _stored(folder: str) -> list[str]:
    """Every file name under ``folder`` of the default storage (empty if it does not exist)."""
    if not default_storage.exists(folder):
        return []
    directories, files = default_storage.listdir(folder)
    names = [f"{folder}/{name}" for name in files]
    for directory in directories:
        names.extend(_stored(f"{folder}/{directory}"))
    return names
