"""A draft opened for editing shows its dates in the form a date input accepts (YYYY-MM-DD);
otherwise the browser drops them and saving the edit fails with "请填写开始日期"."""

from typing import Any

import pytest
from django.test import Client

from civicgrid.participation.choices import NoticeStatus
from civicgrid.participation.testing import make_notice

pytestmark = pytest.mark.django_db


def test_draft_edit_form_shows_iso_dates(client: Client, city: Any, users: Any) -> None:
    notice = make_notice(users.cadre, city.comm_a1, status=NoticeStatus.DRAFT)
    client.force_login(users.cadre)
    page = client.get(f"/community/manage/notices/{notice.pk}/").content.decode()
    assert f'value="{notice.starts_on:%Y-%m-%d}"' in page
    assert f'value="{notice.ends_on:%Y-%m-%d}"' in page
