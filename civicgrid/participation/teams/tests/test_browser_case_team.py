"""The case page shows the grid's team to the community desk, on a phone: names, roles and
work phones that can be tapped to call."""

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from civicgrid.cases.choices import Channel
from civicgrid.participation.teams.choices import TeamRole
from civicgrid.participation.teams.testing import add_community_member, add_department_member
from civicgrid.testing.browser import browser_login
from civicgrid.testing.case_pages import ensure_seeded_categories
from civicgrid.testing.cases import report_case
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers

PHONE = {"width": 390, "height": 844}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_case_page_shows_the_grid_team(
    live_server: Any, browser: Any, city: TestCity, users: RoleUsers, screenshot_dir: Path
) -> None:
    ensure_seeded_categories()
    grid = city.grids["a1_west"]
    add_department_member(grid, users.department, by=users.secretary)
    add_community_member(grid, "赵楼长", by=users.secretary)
    add_community_member(
        grid, "<b>钱</b>志愿", by=users.secretary, role=TeamRole.VOLUNTEER, work_phone="13900002222"
    )
    case = report_case(users.resident, channel=Channel.RESIDENT, description="楼道堆放杂物")

    context = browser.new_context(locale="zh-CN", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    browser_login(page, live_server, "secretary", "pw-secretary")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    panel = page.locator("#grid-team")
    expect(panel).to_be_visible()
    expect(panel.get_by_text("赵楼长")).to_be_visible()
    expect(panel.get_by_text("社区民警")).to_be_visible()
    expect(panel.locator("a[href='tel:13900001111']")).to_be_visible()
    # A hostile name stays text.
    expect(panel.get_by_text("<b>钱</b>志愿")).to_be_visible()
    assert panel.locator("b").count() == 0
    panel.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "case-grid-team-phone.png"), full_page=True)
    context.close()
