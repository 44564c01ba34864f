"""Background import: the upload page stores the file as a pending ``ImportJob`` and queues
it, a worker runs it and reports progress on the job row, which the page polls.

The uploaded file holds every ID number and phone of the sheet in clear: nothing needs it
once the job has ended, so it is deleted then, whether the import succeeded or failed
(docs/architecture.md "One way in": personal data is not kept where nobody reads it). What
stays is the job row with its counts and the error list, whose values are masked already.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from civicgrid.core.scoping import access_object
from civicgrid.registry.choices import ImportStatus
from civicgrid.registry.io.columns import masked
from civicgrid.registry.io.kinds import IMPORTERS, import_ledger
from civicgrid.registry.models import ImportJob

if TYPE_CHECKING:
    from civicgrid.accounts.models import User

logger = logging.getLogger(__name__)


def access_import_job(user: Any, pk: Any) -> ImportJob:
    """The job if the user uploaded it or covers its area; 404 otherwise."""
    return access_object(ImportJob.objects.select_related("created_by"), user, pk)


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
    finally:
        discard_upload(job)
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


def discard_upload(job: ImportJob) -> None:
    """Delete the stored upload of a job that has ended and forget its name. A file already
    gone (a second worker, an earlier purge) is not an error."""
    name = job.file.name
    if not name:
        return
    try:
        job.file.storage.delete(name)
    except OSError:
        # Deleting is best effort: the purge command finds what is left (logged, not raised,
        # so a storage hiccup never turns a finished import into a failed one).
        logger.exception("Import job %s: upload could not be deleted", job.pk)
        return
    ImportJob.objects.filter(pk=job.pk).update(file="")


def masked_errors(kind: str, errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``errors`` of a job with personal values masked by their column, as ``Row.fail`` masks
    them today; for the rows of jobs that ran before it did. Masked values stay as they are."""
    importer = IMPORTERS.get(kind)
    by_label = {c.label: c for c in importer.columns} if importer else {}
    result = []
    for error in errors:
        column = by_label.get(str(error.get("column", "")))
        value = str(error.get("value", ""))
        if column is not None and value and "*" not in value:
            error = {**error, "value": masked(column, value)}
        result.append(error)
    return result


def import_job_submit(*, user: User, kind: str, upload: UploadedFile, scope_code: str) -> ImportJob:
    """Store the upload as a pending job and queue it; the page then polls the job."""
    job = ImportJob.objects.create(kind=kind, file=upload, scope_code=scope_code, created_by=user)
    # After commit, so a worker never picks up a job whose row it cannot see yet.
    transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
    return job
