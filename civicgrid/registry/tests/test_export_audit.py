"""Bulk output of the ledgers is audited, masked or not (rule 3): who, which grid, how many
rows, masked or unmasked. A masked ledger still names every resident and family."""

from typing import Any

import pytest
from django.contrib.auth.models import Permission

from civicgrid.core.models import AuditEntry
from civicgrid.registry.tests.factories import (
    make_building,
    make_dwelling,
    make_household,
    make_person,
)
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers


@pytest.fixture
def grid(city: TestCity) -> Any:
    grid = city.grids["a1_west"]
    dwelling = make_dwelling(make_building(grid, "甲一路8号"), room="302")
    household = make_household(dwelling, number="H302")
    for name in ("张三", "李四"):
        make_person(grid, name=name, household=household, dwelling=dwelling)
    make_person(grid, name="王五")  # no dwelling: on the last printed page
    make_person(city.grids["b1"], name="外街")  # another street: never counted
    return grid


@pytest.mark.django_db
def test_masked_export_is_audited_with_its_row_counts(
    client: Any, grid: Any, users: RoleUsers
) -> None:
    client.force_login(users.worker)
    response = client.get(f"/registry/io/ledger/{grid.pk}/export.xlsx", REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 200
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.target_type, entry.target_id, entry.ip) == (
        users.worker,
        "ledger_export",
        "geo.grid",
        str(grid.pk),
        "10.0.0.9",
    )
    assert entry.field == "ledger"
    assert entry.reason == "脱敏:共 6 行(楼栋 1,房屋 1,住户 1,人员 3,组织 0)"


@pytest.mark.django_db
def test_unmasked_export_is_audited_as_disclosure_and_as_output(
    client: Any, grid: Any, users: RoleUsers
) -> None:
    users.secretary.user_permissions.add(Permission.objects.get(codename="unmask_pii"))
    client.force_login(users.secretary)
    response = client.post(
        f"/registry/io/ledger/{grid.pk}/unmasked/", {"reason": "配合公安核查户籍"}
    )
    assert response.status_code == 200
    disclosure, output = AuditEntry.objects.order_by("pk")
    assert (disclosure.action, disclosure.reason) == ("export_unmasked", "配合公安核查户籍")
    assert (output.actor, output.action, output.target_id) == (
        users.secretary,
        "ledger_export",
        str(grid.pk),
    )
    assert output.field == "id_number,phone,address"
    assert output.reason.startswith("未脱敏:共 6 行(")


@pytest.mark.django_db
def test_each_printed_page_is_audited(client: Any, grid: Any, users: RoleUsers) -> None:
    client.force_login(users.cadre)
    assert client.get(f"/registry/io/ledger/{grid.pk}/print/").status_code == 200
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.target_id) == (
        users.cadre,
        "ledger_print",
        str(grid.pk),
    )
    assert entry.reason == "脱敏:共 6 行(楼栋 1,房屋 1,住户 1,人员 3);第 1 页"
