import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from openpyxl import load_workbook

from civicgrid.core.models import AuditEntry
from civicgrid.registry.identity import make_resident_id
from civicgrid.registry.models import Household, Person
from civicgrid.registry.tests.factories import (
    make_building,
    make_dwelling,
    make_household,
    make_person,
)
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers

# Its own birth date: the shared factory counter wraps and must never hand this number out again.
ID_NUMBER = make_resident_id("520102", date(1975, 3, 9), 1, male=True)
PHONE = "13812345678"


@pytest.fixture
def ledger(city: TestCity) -> Household:
    dwelling = make_dwelling(make_building(city.grids["a1_west"], "甲一路8号"), room="302")
    household = make_household(dwelling, number="H302")
    head = make_person(
        city.grids["a1_west"],
        name="张三",
        id_number=ID_NUMBER,
        phone=PHONE,
        household=household,
        dwelling=dwelling,
        relation="head",
    )
    household.head = head
    household.save()
    return household


def cells(content: bytes) -> dict[str, list[list[Any]]]:
    workbook = load_workbook(io.BytesIO(content))
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in workbook}


def grant_unmask(user: Any) -> None:
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="unmask_pii"))


@pytest.mark.django_db
def test_export_is_masked_by_default(
    client: Any, city: TestCity, users: RoleUsers, ledger: Household
) -> None:
    client.force_login(users.worker)
    response = client.get(f"/registry/io/ledger/{city.grids['a1_west'].pk}/export.xlsx")
    assert response.status_code == 200
    sheets = cells(response.content)
    assert list(sheets) == ["楼栋", "房屋", "住户", "人员", "组织"]
    raw = response.content + str(sheets).encode()
    assert ID_NUMBER.encode() not in raw and PHONE.encode() not in raw
    people = sheets["人员"]
    row = dict(zip(people[0], people[1], strict=True))
    assert row["姓名"] == "张三"
    assert row["证件号码"] == ID_NUMBER[:4] + "*" * 10 + ID_NUMBER[-4:]
    assert row["联系电话"] == "138****5678"
    assert sheets["住户"][1][4:7] == ["H302", "户籍户", "张三"]


@pytest.mark.django_db
def test_unmasked_export_needs_the_permission(
    client: Any, city: TestCity, users: RoleUsers, ledger: Household
) -> None:
    client.force_login(users.cadre)
    url = f"/registry/io/ledger/{city.grids['a1_west'].pk}/unmasked/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "配合公安核查"}).status_code == 403
    assert AuditEntry.objects.get().result == "denied"


@pytest.mark.django_db
def test_unmasked_export_with_a_reason_is_audited(
    client: Any, city: TestCity, users: RoleUsers, ledger: Household
) -> None:
    grant_unmask(users.secretary)
    client.force_login(users.secretary)
    grid = city.grids["a1_west"]
    response = client.post(
        f"/registry/io/ledger/{grid.pk}/unmasked/",
        {"reason": "配合公安核查户籍"},
        REMOTE_ADDR="10.0.0.7",
    )
    assert response.status_code == 200
    people = cells(response.content)["人员"]
    assert ID_NUMBER in people[1] and PHONE in people[1]
    entry = AuditEntry.objects.get(action="export_unmasked")
    assert (entry.actor, entry.action, entry.target_id, entry.reason, entry.ip) == (
        users.secretary,
        "export_unmasked",
        str(grid.pk),
        "配合公安核查户籍",
        "10.0.0.7",
    )


@pytest.mark.django_db
def test_unmasked_export_without_a_reason_is_refused(
    client: Any, city: TestCity, users: RoleUsers, ledger: Household
) -> None:
    grant_unmask(users.secretary)
    client.force_login(users.secretary)
    response = client.post(
        f"/registry/io/ledger/{city.grids['a1_west'].pk}/unmasked/", {"reason": "查"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "至少4个字" in response.content.decode()
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_outsider_gets_404_on_another_grids_ledger(
    client: Any, city: TestCity, users: RoleUsers, ledger: Household
) -> None:
    client.force_login(users.outsider)
    pk = city.grids["a1_west"].pk
    for url in ("export.xlsx", "unmasked/", "print/"):
        assert client.get(f"/registry/io/ledger/{pk}/{url}").status_code == 404


@pytest.mark.django_db
def test_printable_ledger_is_masked_and_breaks_per_building(
    client: Any, city: TestCity, users: RoleUsers, ledger: Household
) -> None:
    make_building(city.grids["a1_west"], "甲一路9号")
    make_person(city.grids["a1_west"], name="王五")  # recorded without a dwelling
    client.force_login(users.worker)
    page = client.get(f"/registry/io/ledger/{city.grids['a1_west'].pk}/print/").content.decode()
    assert page.count('<section class="building">') == 3  # two buildings + people without one
    # Landscape A4 and one building per sheet come from the stylesheet (no inline style under
    # the CSP), keyed on the page's body class.
    assert 'class="ledger-print"' in page
    css = (Path(settings.BASE_DIR) / "static/css/civicgrid.css").read_text(encoding="utf-8")
    assert "size: A4 landscape" in css
    assert "张三" in page and "王五" in page and "138****5678" in page
    assert ID_NUMBER not in page and PHONE not in page


@pytest.mark.django_db
def test_printable_ledger_has_constant_query_count(
    client: Any, city: TestCity, users: RoleUsers, django_assert_num_queries: Any
) -> None:
    grid = city.grids["a1_west"]
    for b in range(5):
        building = make_building(grid, f"乙路{b}号")
        for r in range(3):
            dwelling = make_dwelling(building, room=f"{b}0{r}")
            household = make_household(dwelling, number=f"H{b}{r}")
            make_person(grid, name=f"人{b}{r}", household=household, dwelling=dwelling)
    client.force_login(users.worker)
    with django_assert_num_queries(18):  # the audit entry is three: lock the chain, insert, link
        response = client.get(f"/registry/io/ledger/{grid.pk}/print/")
    assert response.content.decode().count('<section class="building">') == 5
    assert Person.objects.count() == 15


@pytest.mark.django_db
def test_ledger_list_shows_visible_grids_only(
    client: Any, city: TestCity, users: RoleUsers
) -> None:
    client.force_login(users.cadre)
    page = client.get("/registry/io/ledger/").content.decode()
    assert city.grids["a1_west"].code in page and city.grids["a1_east"].code in page
    assert city.grids["b1"].code not in page


@pytest.mark.django_db
def test_a_sheet_of_the_unmasked_ledger_imports_back_unchanged(
    tmp_path: Any, city: TestCity, users: RoleUsers, ledger: Household
) -> None:
    from civicgrid.registry.io.exports import ledger_xlsx
    from civicgrid.registry.io.kinds import import_ledger

    grant_unmask(users.worker)  # the presenter refuses plaintext without it
    exported = ledger_xlsx(city.grids["a1_west"], user=users.worker, unmasked=True)
    workbook = load_workbook(io.BytesIO(exported.content))
    for name in ("楼栋", "房屋", "住户", "组织"):
        del workbook[name]
    workbook.save(tmp_path / "people.xlsx")
    report = import_ledger("person", tmp_path / "people.xlsx")
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
