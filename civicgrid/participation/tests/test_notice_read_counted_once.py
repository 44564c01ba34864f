from typing import Any

from django.test import Client

from civicgrid.participation.models import Notice
from civicgrid.participation.testing import make_notice


def test_a_read_counts_once_per_browser_session_or_signed_in_user(city: Any, users: Any) -> None:
    notice = make_notice(users.secretary, city.comm_a1)
    url = f"/community/notices/{notice.pk}/"
    visitor = Client()
    visitor.get(url)
    visitor.get(url)
    Client().get(url)  # another browser
    member = Client()
    member.force_login(users.resident)
    member.get(url)
    again = Client()
    again.force_login(users.resident)  # same person, another session
    again.get(url)
    assert Notice.objects.get(pk=notice.pk).read_count == 3
