"""Registry lists on a grid worker's phone (390×844): nothing wider than the screen, and a
person's name reads on one line instead of one character per line."""

from datetime import date
from typing import Any

import pytest

from civicgrid.registry import services
from civicgrid.registry.choices import ImportStatus
from civicgrid.registry.models import ImportJob, Organization, Person, RequiredField
from civicgrid.registry.tests.conftest import Ledger
from civicgrid.registry.tests.factories import make_person
from civicgrid.testing.browser import browser_login
from civicgrid.testing.users import RoleUsers

PHONE = {"width": 390, "height": 844}
ORG = "贵阳市南明区多福巷社区便民服务有限公司"


def fill(ledger: Ledger, users: RoleUsers) -> None:
    grid = ledger.building.grid
    # Whether the seeded required fields are still there depends on which transactional test
    # ran before; two known ones keep the gaps row predictable.
    RequiredField.objects.exclude(field_name__in=["ethnicity", "education"]).delete()
    for field_name, label in (("ethnicity", "民族"), ("education", "文化程度")):
        RequiredField.objects.update_or_create(
            field_name=field_name, defaults={"label": label, "active": True}
        )
    Person.objects.filter(pk=ledger.head.pk).update(ethnicity="汉族", education="college")
    make_person(
        grid,
        name="欧阳海燕",
        phone="13985012046",
        household=ledger.household,
        dwelling=ledger.dwelling,
    )
    Organization.objects.create(
        grid=grid,
        name=ORG,
        address="多福巷瑞金南路196号南明花园3栋1单元",
        uscc="91520102MA6DMMXX4D",
        staff_count=12,
    )
    ImportJob.objects.create(
        kind="person",
        file="imports/people.csv",
        scope_code=grid.code,
        created_by=users.worker,
        status=ImportStatus.DONE,
        total_rows=1200,
        created_count=1180,
        error_count=20,
    )
    leaver = make_person(grid, name="司马长风", dwelling=ledger.dwelling)
    services.person_move_out(
        actor=users.worker, person=leaver, moved_on=date(2026, 1, 1), destination="贵阳市云岩区"
    )


def page_width(page: Any) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("url", "name"),
    [
        pytest.param("/registry/people/", "欧阳海燕", id="people"),
        pytest.param("/registry/search/?q=欧阳", "欧阳海燕", id="search"),
        pytest.param("/registry/organizations/", ORG, id="organizations"),
        pytest.param("/registry/moves/", "司马长风", id="moves"),
        pytest.param("/registry/gaps/", "欧阳海燕 · 缺 民族、文化程度 · 补全信息", id="gaps"),
        pytest.param("/registry/grids/", "", id="grids"),
        pytest.param("/registry/io/", "", id="io"),
        pytest.param("/registry/io/ledger/", "", id="ledger"),
        pytest.param("/registry/completeness/", "", id="completeness"),
        pytest.param("/registry/grids/{grid}/", "多福巷1号", id="grid"),
        pytest.param("/registry/buildings/{building}/", "", id="building"),
        pytest.param("/registry/dwellings/{dwelling}/", "", id="dwelling"),
        pytest.param("/registry/households/{household}/", "欧阳海燕", id="household"),
        pytest.param("/registry/people/{person}/", "", id="person"),
        pytest.param("/registry/organizations/{organization}/", "", id="organization"),
    ],
)
def test_registry_lists_fit_a_phone(
    live_server: Any,
    page: Any,
    users: RoleUsers,
    ledger: Ledger,
    screenshot_dir: Any,
    url: str,
    name: str,
) -> None:
    fill(ledger, users)
    page.set_viewport_size(PHONE)
    browser_login(page, live_server, "worker", "pw-worker")
    pks = {
        "grid": ledger.building.grid_id,
        "building": ledger.building.pk,
        "dwelling": ledger.dwelling.pk,
        "household": ledger.household.pk,
        "person": ledger.head.pk,
        "organization": ledger.organization.pk,
    }
    page.goto(f"{live_server.url}{url.format(**pks)}")
    page.screenshot(path=str(screenshot_dir / "phone.png"), full_page=True)
    assert page_width(page) <= PHONE["width"], url
    if name:
        cell = page.get_by_text(name, exact=True).first
        line = float(
            page.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)", cell.element_handle())
        )
        box = cell.bounding_box()
        assert box["height"] < 2 * line, f"{name} wraps on {url}"
        assert box["x"] + box["width"] <= PHONE["width"]
