"""Script in an activity's title or description is shown as text on the public pages."""

from typing import Any

from django.test import Client

from civicgrid.participation.volunteers.testing import make_activity

EVIL = '<img src=x onerror="alert(1)">'


def test_markup_in_titles_is_escaped(city: Any, users: Any, team: Any) -> None:
    activity = make_activity(team, users.cadre, title=f"清扫{EVIL}")
    activity.description = EVIL
    activity.save()
    for url in (f"/community/{city.comm_a1.code}/", f"/volunteers/activities/{activity.pk}/"):
        page = Client().get(url).content.decode()
        assert "<img src=x" not in page, url
        assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page, url
