"""Script in a meeting's title, participants or minutes is shown as text, never run."""

from typing import Any

import pytest

from civicgrid.participation.joint import services
from civicgrid.participation.joint.testing import convened_meeting

SCRIPT = "<script>alert('x')</script>"


@pytest.mark.django_db
def test_title_and_minutes_are_escaped(client: Any, users: Any, waiting_case: Any) -> None:
    meeting = convened_meeting(
        command=users.command, departments=[users.dept], cases=[waiting_case], title=SCRIPT
    )
    services.minutes_save(meeting=meeting, actor=users.command, minutes=f"纪要{SCRIPT}")
    services.meeting_close(meeting=meeting, actor=users.command, reason="议题已提前议完")
    for user in (users.command, users.department):
        client.force_login(user)
        for url in ("/joint-meetings/", f"/joint-meetings/{meeting.pk}/",
                    f"/joint-meetings/{meeting.pk}/print/"):  # fmt: skip
            page = client.get(url).content.decode()
            assert SCRIPT not in page, url
            assert "&lt;script&gt;" in page, url
