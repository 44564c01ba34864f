from typing import Any

from django.test import Client

from civicgrid.participation.choices import NoticeStatus
from civicgrid.participation.testing import make_notice


def test_only_current_published_notices_reach_residents(city: Any, users: Any) -> None:
    current = make_notice(users.secretary, city.comm_a1, title="本周停水")
    expired = make_notice(users.secretary, city.comm_a1, title="上月停电", days_left=-3)
    draft = make_notice(users.cadre, city.comm_a1, title="草稿公告", status=NoticeStatus.DRAFT)
    street = make_notice(users.command, city.street_a, title="街道公告")
    grid = make_notice(users.cadre, city.grids["a1_east"], title="网格公告")
    other = make_notice(users.command, city.comm_a2, title="邻社区公告")
    page = Client().get(f"/community/{city.comm_a1.code}/").content.decode()
    for shown in (current, street, grid):
        assert shown.title in page
    for hidden in (expired, draft, other):
        assert hidden.title not in page
    assert Client().get(f"/community/notices/{expired.pk}/").status_code == 404
    assert Client().get(f"/community/notices/{draft.pk}/").status_code == 404


def test_attachments_are_public_only_for_a_published_notice(city: Any, users: Any) -> None:
    published = make_notice(users.secretary, city.comm_a1, attachment=True)
    draft = make_notice(users.cadre, city.comm_a1, status=NoticeStatus.DRAFT, attachment=True)
    url = "/community/notices/{}/files/{}/"
    ok = Client().get(url.format(published.pk, published.attachments.get().pk))
    assert ok.status_code == 200 and ok.getvalue().startswith(b"%PDF")
    assert Client().get(url.format(draft.pk, draft.attachments.get().pk)).status_code == 404
    staff = Client()
    staff.force_login(users.secretary)
    assert staff.get(url.format(draft.pk, draft.attachments.get().pk)).status_code == 200
