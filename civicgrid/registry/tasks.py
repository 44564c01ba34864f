"""Background import jobs live in ``civicgrid.registry.io.jobs``. This name stays because jobs
queued before the move are stored with the path ``civicgrid.registry.tasks.run_import_job``
and a worker resolves that path when it picks them up."""

from civicgrid.registry.io.jobs import import_job_submit, run_import_job

__all__ = ["import_job_submit", "run_import_job"]
