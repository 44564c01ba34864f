"""The admin site lists notices, cards and disclosures for the system administrator, read only."""

from typing import Any

from django.test import Client

from civicgrid.accounts.models import User
from civicgrid.participation.testing import make_card, make_notice


def test_admin_lists_open_read_only(city: Any, users: Any) -> None:
    notice = make_notice(users.secretary, city.comm_a1)
    make_card(users.worker)
    User.objects.filter(pk=users.sysadmin.pk).update(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(User.objects.get(pk=users.sysadmin.pk))
    for name in ("notice", "gridworkercard", "disclosure"):
        assert client.get(f"/admin/participation/{name}/").status_code == 200
    detail = client.get(f"/admin/participation/notice/{notice.pk}/change/")
    assert detail.status_code == 200 and 'name="_save"' not in detail.content.decode()
    assert client.get("/admin/participation/notice/add/").status_code == 403
