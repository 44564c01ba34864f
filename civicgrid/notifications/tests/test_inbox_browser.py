from typing import Any

import pytest
from playwright.sync_api import expect

from civicgrid.notifications.services import notify
from civicgrid.testing.browser import browser_login, follow_menu
from civicgrid.testing.users import RoleUsers


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_worker_reads_messages_and_the_badge_follows(
    live_server: Any, page: Any, users: RoleUsers, screenshot_dir: Any
) -> None:
    notify(
        recipients=[users.worker],
        kind="case",
        title="案件 A0001 已派遣",
        body="请于 2 个工作日内核查。",
    )
    notify(recipients=[users.worker], kind="case", title="案件 A0002 即将到期")
    browser_login(page, live_server, "worker", "pw-worker")
    badge = page.locator("#inbox-badge .badge")
    expect(badge).to_have_text("2")
    follow_menu(page, "消息")
    page.wait_for_selector(".notification.unread")
    page.screenshot(path=str(screenshot_dir / "inbox.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 800})
    page.screenshot(path=str(screenshot_dir / "inbox-phone-unread.png"), full_page=True)

    page.locator(".notification.unread").first.locator("text=标为已读").click()
    # A locator wait, not wait_for_function: the page's CSP forbids the eval that uses.
    expect(page.locator(".notification.unread")).to_have_count(1)
    # The badge comes in the same htmx answer, swapped out of band: wait for it too.
    expect(badge).to_have_text("1")

    page.click("text=全部标为已读")
    expect(page.locator(".notification.unread")).to_have_count(0)
    expect(page.locator("text=全部标为已读")).to_have_count(0)
    expect(badge).to_have_count(0)

    page.set_viewport_size({"width": 390, "height": 800})
    page.screenshot(path=str(screenshot_dir / "inbox-phone.png"), full_page=True)
