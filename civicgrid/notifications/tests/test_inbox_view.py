from typing import Any

import pytest
from django.utils import timezone

from civicgrid.notifications.models import Notification
from civicgrid.notifications.services import notify
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db
INBOX = "/notifications/"


def make(user: Any, n: int, **extra: Any) -> list[Notification]:
    return Notification.objects.bulk_create(
        [Notification(recipient=user, kind="k", title=f"消息{i}", **extra) for i in range(n)]
    )


def test_inbox_lists_unread_first(client: Any, users: RoleUsers) -> None:
    make(users.worker, 1, read_at=timezone.now())
    notify(recipients=[users.worker], kind="k", title="新消息")
    client.force_login(users.worker)
    body = client.get(INBOX).content.decode()
    assert body.index("新消息") < body.index("消息0")
    assert 'class="notification unread"' in body


def test_inbox_shows_only_my_messages(client: Any, users: RoleUsers) -> None:
    notify(recipients=[users.cadre], kind="k", title="给片长的")
    client.force_login(users.worker)
    assert "给片长的" not in client.get(INBOX).content.decode()


def test_inbox_is_paginated(client: Any, users: RoleUsers) -> None:
    make(users.worker, 25)
    client.force_login(users.worker)
    body = client.get(INBOX).content.decode()
    assert "第 1 / 2 页" in body


@pytest.mark.parametrize("rows", [2, 30])
def test_inbox_query_count_is_constant(
    client: Any, users: RoleUsers, django_assert_num_queries: Any, rows: int
) -> None:
    make(users.worker, rows)
    client.force_login(users.worker)
    # session, user, page count, unread badge, page rows; the first request after sign-in
    # stamps the session (3: save and its savepoint pair), later ones at most once a minute
    with django_assert_num_queries(8):
        client.get(INBOX)


def test_residents_have_an_inbox_in_the_menu(client: Any, users: RoleUsers) -> None:
    client.force_login(users.resident)
    # A resident's home redirects to their requests; the menu is on whatever page they land.
    body = client.get("/", follow=True).content.decode()
    assert f'href="{INBOX}"' in body


def test_header_badge_counts_unread(client: Any, users: RoleUsers) -> None:
    make(users.worker, 3)
    make(users.worker, 2, read_at=timezone.now())
    client.force_login(users.worker)
    body = client.get("/").content.decode()
    assert '<span class="badge bad">3</span>' in body


def test_no_badge_number_without_unread(client: Any, users: RoleUsers) -> None:
    client.force_login(users.worker)
    assert 'id="inbox-badge"' in (body := client.get("/").content.decode())
    assert '<span class="badge bad">' not in body


def test_mark_one_read_with_htmx_returns_the_row_and_badge(client: Any, users: RoleUsers) -> None:
    [first, _second] = make(users.worker, 2)
    client.force_login(users.worker)
    response = client.post(f"{INBOX}{first.pk}/read/", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert f'id="notification-{first.pk}" class="notification"' in body
    assert 'hx-swap-oob="true"' in body and '<span class="badge bad">1</span>' in body
    first.refresh_from_db()
    assert first.read_at is not None


def test_mark_one_read_without_htmx_redirects(client: Any, users: RoleUsers) -> None:
    [n] = make(users.worker, 1)
    client.force_login(users.worker)
    assert client.post(f"{INBOX}{n.pk}/read/").status_code == 302


def test_mark_all_read(client: Any, users: RoleUsers) -> None:
    make(users.worker, 3)
    make(users.cadre, 1)
    client.force_login(users.worker)
    response = client.post(f"{INBOX}read-all/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert not Notification.objects.filter(recipient=users.worker, read_at=None).exists()
    assert Notification.objects.filter(recipient=users.cadre, read_at=None).exists()


def test_opening_a_message_marks_it_read_and_follows_its_link(
    client: Any, users: RoleUsers
) -> None:
    [n] = make(users.worker, 1, url="/geo/regions/")
    client.force_login(users.worker)
    response = client.get(f"{INBOX}{n.pk}/")
    assert response["Location"] == "/geo/regions/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_an_offsite_link_is_not_followed(client: Any, users: RoleUsers) -> None:
    [n] = make(users.worker, 1, url="https://evil.example/")
    client.force_login(users.worker)
    assert client.get(f"{INBOX}{n.pk}/")["Location"] == INBOX


def test_outsider_gets_404_for_someone_elses_message(client: Any, users: RoleUsers) -> None:
    [n] = make(users.worker, 1)
    client.force_login(users.outsider)
    assert client.get(f"{INBOX}{n.pk}/").status_code == 404
    assert client.post(f"{INBOX}{n.pk}/read/").status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_anonymous_visitors_are_sent_to_login(client: Any) -> None:
    assert client.get(INBOX).status_code == 302
