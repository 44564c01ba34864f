"""Staff pages and operations answer 404 for a notice or a card of another street."""

from typing import Any

from django.test import Client

from civicgrid.accounts.choices import Role
from civicgrid.participation.choices import NoticeStatus
from civicgrid.participation.testing import make_notice
from civicgrid.testing.users import make_user


def test_secretary_of_another_street_gets_404(city: Any, users: Any) -> None:
    notice = make_notice(
        users.cadre, city.grids["a1_west"], status=NoticeStatus.PENDING, title="甲街道公告"
    )
    other = make_user("secretary_b", Role.SECRETARY, city.comm_b1.code)
    client = Client()
    client.force_login(other)
    assert client.get(f"/community/manage/notices/{notice.pk}/").status_code == 404
    assert client.post(f"/community/manage/notices/{notice.pk}/publish/").status_code == 404
    assert client.get(f"/api/v1/participation/notices/{notice.pk}").status_code == 404
    assert "甲街道公告" not in client.get("/community/manage/notices/").content.decode()
    assert client.get(f"/community/manage/cards/{users.worker.pk}/").status_code == 404
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PENDING


def test_own_secretary_reviews_and_the_worker_edits_only_their_own_card(
    city: Any, users: Any
) -> None:
    notice = make_notice(users.cadre, city.grids["a1_west"], status=NoticeStatus.PENDING)
    secretary = Client()
    secretary.force_login(users.secretary)
    assert secretary.get(f"/community/manage/notices/{notice.pk}/").status_code == 200
    worker = Client()
    worker.force_login(users.worker)
    assert worker.get(f"/community/manage/cards/{users.worker.pk}/").status_code == 200
    assert worker.get(f"/community/manage/cards/{users.outsider.pk}/").status_code == 404
    response = worker.post(
        f"/community/manage/cards/{users.worker.pk}/",
        {"public_phone": "0851-85551234", "service_hours": "工作日", "published": "on"},
    )
    assert response.status_code == 302
    assert users.worker.public_card.public_phone == "0851-85551234"
