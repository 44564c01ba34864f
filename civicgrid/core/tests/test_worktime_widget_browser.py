from typing import Any

import pytest
from playwright.sync_api import expect

from civicgrid.testing.browser import browser_login
from civicgrid.testing.users import RoleUsers


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_command_centre_sees_the_missing_calendar_on_the_workbench(
    live_server: Any, page: Any, users: RoleUsers, screenshot_dir: Any, time_machine: Any
) -> None:
    time_machine.move_to("2026-11-23 10:00 +0800", tick=True)
    browser_login(page, live_server, "command", "pw-command")
    alert = page.locator("[role=alert]")
    expect(alert).to_contain_text("2027 年的法定节假日和调休安排尚未录入工作日历")
    expect(alert.locator("a")).to_have_count(0)  # the admin link is for the sysadmin
    page.screenshot(path=str(screenshot_dir / "workbench.png"), full_page=True)
