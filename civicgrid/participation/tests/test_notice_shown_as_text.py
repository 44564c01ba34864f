from typing import Any

from django.test import Client

from civicgrid.participation.testing import make_notice


def test_markup_in_a_notice_is_shown_as_text(city: Any, users: Any) -> None:
    body = '<script>alert(1)</script>\n<img src=x onerror="alert(2)">\n第三行'
    notice = make_notice(users.secretary, city.comm_a1, title="<b>标题</b>", body=body)
    page = Client().get(f"/community/notices/{notice.pk}/").content.decode()
    assert "<script>alert(1)" not in page and "<img src=x" not in page and "<b>标题" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=" in page
    assert "<br>" in page  # line breaks kept
