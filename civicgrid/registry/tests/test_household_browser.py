from typing import Any

import pytest

from civicgrid.registry.tests.conftest import Ledger
from civicgrid.testing.browser import browser_login, follow_menu
from civicgrid.testing.users import RoleUsers


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_grid_worker_drills_down_to_a_household_and_sees_masked_numbers(
    live_server: Any, page: Any, users: RoleUsers, ledger: Ledger, screenshot_dir: Any
) -> None:
    browser_login(page, live_server, "worker", "pw-worker")
    follow_menu(page, "基础台账")
    page.click("text=逐级查看")
    page.click(f"text={ledger.building.grid.name}")
    page.click("text=多福巷1号")
    page.click("a.rowlink >> text=101")
    page.click("a.rowlink >> text=520102001")
    page.wait_for_selector(".member")
    card = page.locator(".member").first.inner_text()
    number = ledger.head.id_number
    assert "王建国" in card
    assert f"{number[:4]}**********{number[-4:]}" in card
    assert "138****5678" in card
    assert number not in page.content()
    assert "13812345678" not in page.content()
    page.screenshot(path=str(screenshot_dir / "household.png"), full_page=True)

    # On a phone the same page stacks the member cards and keeps buttons large.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.screenshot(path=str(screenshot_dir / "household-phone.png"), full_page=True)
    page.click(".member")
    page.wait_for_selector("#pii")
    assert "查看完整信息" not in page.inner_text("#pii")  # the worker may not unmask
    page.screenshot(path=str(screenshot_dir / "person-phone.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_grid_worker_adds_a_member_on_a_phone_and_gets_chinese_errors(
    live_server: Any, page: Any, users: RoleUsers, ledger: Ledger, screenshot_dir: Any
) -> None:
    browser_login(page, live_server, "worker", "pw-worker")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/registry/households/{ledger.household.pk}/members/new/")
    page.fill("#id_name", "王小明")
    page.fill("#id_id_number", "520102198005170012")
    page.click("button:has-text('保存')")
    page.wait_for_selector(".errorlist")
    assert "校验位不正确" in page.inner_text(".has-error")
    assert page.input_value("#id_name") == "王小明"
    box = page.locator("button:has-text('保存')").bounding_box()
    assert box is not None and box["height"] >= 44  # a thumb-sized target
    page.screenshot(path=str(screenshot_dir / "member-form-phone.png"), full_page=True)
