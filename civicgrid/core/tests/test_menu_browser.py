"""The main menu as people see it: a command centre's long menu fits one row at 1280 px with
its entries in groups that open on hover; on a phone the opened menu lists every entry."""

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from civicgrid.testing.browser import browser_login
from civicgrid.testing.users import RoleUsers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_long_menu_fits_one_row_and_opens_by_group(
    live_server: Any, page: Any, users: RoleUsers, screenshot_dir: Path
) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    browser_login(page, live_server, "command", "pw-command")
    nav = page.locator("nav.mainnav")
    heading = nav.locator(".navhead", has_text="事件")
    rows = nav.evaluate("n => new Set([...n.children].map(c => c.offsetTop)).size")
    assert rows == 1
    case_list = nav.locator('a:text-is("事件列表")')
    expect(case_list).to_be_hidden()

    # A heading clicked (focused) closes once the pointer rests on another group.
    nav.locator(".navhead", has_text="台账").click()
    heading.hover()
    expect(case_list).to_be_visible()
    expect(nav.locator('a:text-is("基础台账")')).to_be_hidden()
    page.screenshot(path=str(screenshot_dir / "menu-1280-command.png"))
    case_list.click()
    expect(page).to_have_url(f"{live_server.url}/cases/list/")
    # The group holding the page one is on is marked, as a plain entry is.
    expect(nav.locator(".navgroup.active .navhead")).to_have_text("事件")


def test_a_phone_lists_every_entry_under_its_group(
    live_server: Any, page: Any, users: RoleUsers, screenshot_dir: Path
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, live_server, "worker", "pw-worker")
    # Opened from the keyboard, as a screen reader user would.
    page.locator("#nav-toggle").focus()
    page.keyboard.press("Space")
    for label in ("拍照上报", "巡查", "基础台账", "上报事件", "消息"):
        expect(page.locator(f'nav.mainnav a:text-is("{label}")')).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "menu-phone-worker.png"), full_page=True)


def test_a_short_menu_stays_flat(live_server: Any, page: Any, users: RoleUsers) -> None:
    browser_login(page, live_server, "resident", "pw-resident")
    expect(page.locator("nav.mainnav .navgroup")).to_have_count(0)
    expect(page.locator('nav.mainnav a:text-is("我要反映")')).to_be_visible()


@pytest.mark.parametrize("width", [1024, 800])
def test_on_a_tablet_the_menu_keeps_one_row_and_an_open_group_covers_no_heading(
    live_server: Any, page: Any, users: RoleUsers, screenshot_dir: Path, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 768})
    browser_login(page, live_server, "command", "pw-command")
    nav = page.locator("nav.mainnav")
    assert nav.evaluate("n => new Set([...n.children].map(c => c.offsetTop)).size") == 1
    nav.locator(".navhead", has_text="台账").hover()
    menu = nav.locator(".navgroup:hover > .navmenu")
    expect(menu).to_be_visible()
    box = menu.bounding_box()
    covered = nav.evaluate(
        """(n, b) => [...n.children].filter(c => {
             const r = c.getBoundingClientRect();
             return !c.contains(document.querySelector('.navgroup:hover'))
               && r.left < b.x + b.width && b.x < r.right && r.top < b.y + b.height && b.y < r.bottom;
           }).length""",
        box,
    )
    assert covered == 0
    page.screenshot(path=str(screenshot_dir / f"menu-{width}-command.png"))
