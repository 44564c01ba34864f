"""The demo city: codes in the Guiyang range, seamless grids, and accounts that each see
only their own area."""

from typing import Any

import pytest

from civicgrid.accounts.models import Department, User
from civicgrid.dashboard.demo import build_accounts
from civicgrid.geo.coverage import check_coverage
from civicgrid.geo.demo import build_geo
from civicgrid.geo.models import Grid, Region


@pytest.fixture
def demo(db: Any) -> Any:
    city = build_geo(size_name="small")
    build_accounts(city)
    return city


def visible_grid_codes(username: str) -> set[str]:
    user = User.objects.get(username=username)
    return set(Grid.objects.visible_to(user).current().values_list("code", flat=True))


def test_demo_city_has_the_promised_shape(demo: Any) -> None:
    counts = {
        level: Region.objects.filter(level=level).count()
        for level in ("district", "street", "community")
    }
    assert counts == {"district": 2, "street": 4, "community": 12}
    codes = Region.objects.exclude(level="province").values_list("code", flat=True)
    assert all(code.startswith("5201") for code in codes)
    # The one planted gap is the only coverage problem: grids tile communities exactly.
    problems = check_coverage("5201")
    assert [(p.kind, p.codes) for p in problems] == [("gap", (demo.gap_community,))]


def test_each_demo_account_sees_only_its_area(demo: Any) -> None:
    street, other = demo.streets[0].code, demo.streets[-1].code
    assert all(c.startswith(street) for c in visible_grid_codes("command"))
    assert all(c.startswith(other) for c in visible_grid_codes("command2"))
    assert len(visible_grid_codes("command")) == 12
    district = street[:6]
    assert all(c.startswith(district) for c in visible_grid_codes("district"))
    assert visible_grid_codes("command") < visible_grid_codes("district")
    assert visible_grid_codes("secretary") == {
        g.code for g in demo.grids if g.code.startswith(demo.communities[0].code)
    }
    assert visible_grid_codes("gridworker") == {demo.grids[0].code}
    assert len(visible_grid_codes("admin")) == 48
    assert visible_grid_codes("resident") == set()


def test_demo_system_admin_cannot_see_personal_data_or_the_audit_trail(demo: Any) -> None:
    admin = User.objects.get(username="admin")
    assert admin.is_staff
    assert admin.has_perm("geo.change_grid")
    assert not admin.has_perm("registry.unmask_pii")
    assert not admin.has_perm("registry.view_special_groups")
    assert not admin.has_perm("core.view_auditentry")


def test_other_districts_departments_are_named_after_their_district_once(demo: Any) -> None:
    other = demo.streets[-1].code[:6]
    assert other != demo.streets[0].code[:6]
    district = Region.objects.get(code=other).short_name
    names = set(Department.objects.filter(region_code=other).values_list("name", flat=True))
    assert f"{district}城市管理局" in names
    assert f"{district}公安分局" in names
    assert all(name.startswith(district) and "区区" not in name for name in names), names
