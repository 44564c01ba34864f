"""Background import: the upload page queues a job, a worker runs it and reports progress
on the ImportJob row, which the page polls."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from civicgrid.registry.choices import ImportStatus
from civicgrid.registry.imports import import_ledger
from civicgrid.registry.models import ImportJob

if TYPE_CHECKING:
    from civicgrid.accounts.models import User

logger = logging.getLogger(__name__)


@task()
def run_import_job(job_id: int) -> None:
    # Compare-and-set: a job queued twice (or picked by two workers) runs once.
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.PENDING).update(
        status=ImportStatus.RUNNING, started_at=timezone.now()
    )
    if claimed != 1:
        return
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)

    def progress(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(processed_rows=done, total_rows=total)

    try:
        with job.file.open("rb") as upload:
            report = import_ledger(
                job.kind,
                upload,
                user=job.created_by,
                scope_code=job.scope_code,
                progress=progress,
            )
    except Exception:
        # Batches already committed stay (a re-run finds them unchanged); say where it stopped.
        logger.exception("Import job %s failed", job_id)
        done = ImportJob.objects.filter(pk=job_id).values_list("processed_rows", flat=True)[0]
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportStatus.FAILED,
            finished_at=timezone.now(),
            errors=[
                {
                    "row": done,
                    "column": "",
                    "value": "",
                    "reason": f"导入意外中断:前 {done} 行已保存,请重新上传同一文件继续",
                }
            ],
        )
        raise
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportStatus.FAILED if report.fatal else ImportStatus.DONE,
        finished_at=timezone.now(),
        total_rows=report.total_rows,
        processed_rows=report.total_rows,
        created_count=report.created,
        updated_count=report.updated,
        unchanged_count=report.unchanged,
        error_count=report.rejected_rows,
        errors=report.error_dicts(),
    )


def import_job_submit(*, user: User, kind: str, upload: UploadedFile, scope_code: str) -> ImportJob:
    """Store the upload as a pending job and queue it; the page then polls the job."""
    job = ImportJob.objects.create(kind=kind, file=upload, scope_code=scope_code, created_by=user)
    # After commit, so a worker never picks up a job whose row it cannot see yet.
    transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
    return job
