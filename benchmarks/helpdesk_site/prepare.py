"""Prepare the helpdesk baseline's database (already migrated): a staff member allowed to use
the ticket API, one queue, and a signed-in session. Prints ``<session key> <queue id>``."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.helpdesk_site.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.sites.models import Site  # noqa: E402
from django.test import Client  # noqa: E402
from helpdesk.models import Queue  # noqa: E402

Site.objects.update_or_create(pk=1, defaults={"domain": "127.0.0.1", "name": "bench"})
user = get_user_model().objects.create_user(
    "agent", "agent@example.invalid", "agent-pw-1", is_staff=True
)
queue = Queue.objects.create(title="市容环境", slug="city", allow_public_submission=False)
client = Client()
client.force_login(user)
print(client.cookies["sessionid"].value, queue.pk)
