import json
from typing import Any

import pytest
from django.utils import timezone

from civicgrid.notifications.models import Notification
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db
API = "/api/v1/notifications/"


def make(user: Any, n: int, **extra: Any) -> list[Notification]:
    return Notification.objects.bulk_create(
        [Notification(recipient=user, kind="k", title=f"消息{i}", **extra) for i in range(n)]
    )


def post(client: Any, path: str, data: dict) -> Any:
    return client.post(path, json.dumps(data), content_type="application/json")


def test_list_is_paginated_and_unread_first(client: Any, users: RoleUsers) -> None:
    make(users.worker, 1, read_at=timezone.now())
    make(users.worker, 2)
    client.force_login(users.worker)
    data = client.get(API, {"size": 2}).json()
    assert (data["count"], data["pages"], data["unread"]) == (3, 2, 2)
    assert [item["read_at"] for item in data["items"]] == [None, None]


@pytest.mark.parametrize("rows", [2, 30])
def test_list_query_count_is_constant(
    client: Any, users: RoleUsers, django_assert_num_queries: Any, rows: int
) -> None:
    make(users.worker, rows)
    client.force_login(users.worker)
    # session, user, count, unread, page rows; the first request after sign-in stamps the
    # session (3: save and its savepoint pair), later ones at most once a minute
    with django_assert_num_queries(8):
        client.get(API)


def test_unread_count(client: Any, users: RoleUsers) -> None:
    make(users.worker, 2)
    make(users.cadre, 5)
    client.force_login(users.worker)
    assert client.get(API + "unread-count").json() == {"unread": 2}


def test_mark_some_read(client: Any, users: RoleUsers) -> None:
    [a, _b] = make(users.worker, 2)
    client.force_login(users.worker)
    assert post(client, API + "read", {"ids": [a.pk]}).json() == {"marked": 1, "unread": 1}


def test_mark_all_read(client: Any, users: RoleUsers) -> None:
    make(users.worker, 2)
    client.force_login(users.worker)
    assert post(client, API + "read", {}).json() == {"marked": 2, "unread": 0}


def test_another_users_id_gets_404_and_changes_nothing(client: Any, users: RoleUsers) -> None:
    [mine] = make(users.outsider, 1)
    [theirs] = make(users.worker, 1)
    client.force_login(users.outsider)
    response = post(client, API + "read", {"ids": [mine.pk, theirs.pk]})
    assert response.status_code == 404
    assert not Notification.objects.filter(read_at__isnull=False).exists()


def test_list_never_shows_others_messages(client: Any, users: RoleUsers) -> None:
    make(users.worker, 2)
    client.force_login(users.outsider)
    assert client.get(API).json()["count"] == 0


def test_anonymous_is_refused(client: Any) -> None:
    assert client.get(API + "unread-count").status_code == 401
