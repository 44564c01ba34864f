"""The case list's 仅在办 filter (the screen's per-grid open count links to it) and its
department choices, which name only departments that can hold the viewer's cases."""

from typing import Any

import pytest

from civicgrid.accounts.models import Department
from civicgrid.cases.choices import CaseStatus
from civicgrid.cases.models import Case
from civicgrid.testing.cases import report_case
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers


@pytest.mark.django_db
def test_open_lists_only_cases_not_yet_ended(client: Any, users: RoleUsers) -> None:
    kept, ended = report_case(users.worker), report_case(users.worker)
    Case.objects.filter(pk=ended.pk).update(status=CaseStatus.CLOSED)
    client.force_login(users.command)

    everything = client.get("/cases/list/").content.decode()
    open_only = client.get("/cases/list/?open=on").content.decode()

    assert kept.number in everything and ended.number in everything
    assert kept.number in open_only and ended.number not in open_only


@pytest.mark.django_db
def test_department_choices_stay_in_the_viewers_jurisdiction(
    client: Any, city: TestCity, users: RoleUsers
) -> None:
    Department.objects.create(code="other-district", name="邻区住建局", region_code="520103")
    Department.objects.create(code="city", name="市水务局", region_code=city.city.code)
    client.force_login(users.command)

    body = client.get("/cases/list/").content.decode()

    assert "城管局" in body and "市水务局" in body  # the district's and the city's
    assert "邻区住建局" not in body
