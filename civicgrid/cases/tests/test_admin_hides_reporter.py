"""The system administrator runs the system, not the cases: the admin's case page never shows
who reported it (三权分立)."""

from django.test import Client

from civicgrid.cases.choices import Channel
from civicgrid.cases.tests.test_admin import admin_client
from civicgrid.testing.cases import report_case
from civicgrid.testing.users import RoleUsers


def test_case_admin_page_has_no_reporter(client: Client, users: RoleUsers) -> None:
    case = report_case(users.resident, channel=Channel.RESIDENT)
    case.reporter_name = "欧阳秀英"
    case.save(update_fields=["reporter_name"])
    page = admin_client(client, users).get(f"/admin/cases/case/{case.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert case.number in html
    assert "欧阳秀英" not in html
    assert "field-reporter" not in html
