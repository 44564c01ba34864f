"""Council pages answer 404 outside the jurisdiction, as if the council did not exist."""

from typing import Any

from django.test import Client

from civicgrid.accounts.choices import Role
from civicgrid.participation.councils.testing import make_meeting
from civicgrid.testing.users import make_user


def test_secretary_of_another_community_gets_404(council: Any, users: Any, city: Any) -> None:
    meeting = make_meeting(council, users.secretary)
    other = make_user("sec_a2", Role.SECRETARY, city.comm_a2.code)
    client = Client()
    client.force_login(other)
    assert client.get(f"/councils/{council.pk}/").status_code == 404
    assert client.get(f"/councils/meetings/{meeting.pk}/").status_code == 404
    assert client.post(f"/councils/meetings/{meeting.pk}/convene/").status_code == 404
    assert f'href="/councils/{council.pk}/"' not in client.get("/councils/").content.decode()


def test_outsider_and_resident_are_refused(council: Any, users: Any) -> None:
    for who in (users.outsider, users.resident):
        client = Client()
        client.force_login(who)
        assert client.get(f"/councils/{council.pk}/").status_code == 403


def test_own_secretary_and_street_see_it(council: Any, users: Any) -> None:
    for who in (users.secretary, users.command):
        client = Client()
        client.force_login(who)
        assert client.get(f"/councils/{council.pk}/").status_code == 200
