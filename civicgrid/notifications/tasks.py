from django.db.models import Min
from django_tasks import task

from civicgrid.notifications.choices import OutboxStatus
from civicgrid.notifications.delivery import deliver_due
from civicgrid.notifications.models import OutboxMessage


@task()
def deliver_outbox() -> dict[str, int]:
    """Enqueued after each commit that writes outbox messages; safe to run in parallel."""
    sent, failed = deliver_due()
    if failed:
        _schedule_retry()
    return {"sent": sent, "failed": failed}


def _schedule_retry() -> None:
    # The database backend can hold a task until the first retry is due; with a backend that
    # cannot, the periodic ``send_outbox`` command picks the retries up.
    if not deliver_outbox.get_backend().supports_defer:
        return
    due = OutboxMessage.objects.filter(status=OutboxStatus.PENDING).aggregate(
        first=Min("next_attempt_at")
    )["first"]
    if due is not None:
        deliver_outbox.using(run_after=due).enqueue()
