"""A visitor on the portal can sign in from where they are (the site's header offers no sign-in
to someone without a session) and comes back to the same page; a signed-in user sees no link."""

from typing import Any

from django.test import Client

from civicgrid.participation.testing import make_notice


def test_portal_pages_offer_sign_in_and_come_back(city: Any, users: Any) -> None:
    notice = make_notice(users.secretary, city.comm_a1, title="停水通知")
    pages = [f"/community/notices/{notice.pk}/", f"/community/{city.comm_a1.code}/"]
    for url in pages:
        html = Client().get(url).content.decode()
        assert f'href="/accounts/login/?next={url}"' in html, url
    signed_in = Client()
    signed_in.force_login(users.resident)
    for url in pages:
        assert "/accounts/login/" not in signed_in.get(url).content.decode(), url
