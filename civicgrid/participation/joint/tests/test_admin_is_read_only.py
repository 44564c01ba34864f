"""The admin site shows joint meetings to the system administrator, read-only."""

from typing import Any

import pytest

from civicgrid.participation.joint.testing import convened_meeting


@pytest.mark.django_db
def test_admin_lists_and_shows_without_change(client: Any, users: Any, waiting_case: Any) -> None:
    meeting = convened_meeting(
        command=users.command, departments=[users.dept], cases=[waiting_case]
    )
    users.sysadmin.is_staff = users.sysadmin.is_superuser = True
    users.sysadmin.save()
    client.force_login(users.sysadmin)
    base = "/admin/jointmeetings/jointmeeting/"
    assert client.get(base).status_code == 200
    page = client.get(f"{base}{meeting.pk}/change/")
    assert page.status_code == 200
    assert "联席会议" in page.content.decode()
    assert client.post(f"{base}{meeting.pk}/change/", {"title": "改"}).status_code == 403
