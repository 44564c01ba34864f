"""Page cost does not grow with the number of notices, cards or grids shown (rule 6)."""

from typing import Any

from django.test import Client

from civicgrid.accounts.choices import Role
from civicgrid.participation.choices import NoticeStatus
from civicgrid.participation.testing import make_card, make_notice
from civicgrid.testing.queries import count_queries
from civicgrid.testing.users import make_user


def _more(city: Any, users: Any, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        make_notice(users.secretary, city.comm_a1, title=f"公告{i}", attachment=True)
        make_notice(users.cadre, city.grids["a1_west"], status=NoticeStatus.PENDING)
        worker = make_user(f"gw{i}", Role.GRID_WORKER, city.grids["a1_east"].code)
        make_card(worker, phone=f"0851-8555100{i}")


def test_portal_and_staff_lists_keep_their_query_count(city: Any, users: Any) -> None:
    _more(city, users, 1)
    secretary = Client()
    secretary.force_login(users.secretary)
    urls = [
        (Client(), f"/community/{city.comm_a1.code}/"),
        (Client(), f"/api/v1/participation/communities/{city.comm_a1.code}"),
        (secretary, "/community/manage/notices/"),
        (secretary, "/community/manage/cards/"),
    ]
    before = [count_queries(client, url) for client, url in urls]
    _more(city, users, 4, start=1)
    after = [count_queries(client, url) for client, url in urls]
    assert after == before
