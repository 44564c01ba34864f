"""民情日志 on a 360 px phone: the day's work, newest first, fits without sideways scrolling;
the week view and the paging links (older, newer) work."""

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from civicgrid.fieldwork.tests.test_worklog_records import DAY, one_of_each
from civicgrid.testing.browser import browser_login
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_workers_log_on_a_phone(
    live_server: Any, browser: Any, city: TestCity, users: RoleUsers, screenshot_dir: Path
) -> None:
    one_of_each(users, city)
    context = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.set_default_timeout(15_000)
    browser_login(page, live_server, "worker", "pw-worker")
    page.goto(f"{live_server.url}/fieldwork/worklog/?day={DAY:%Y-%m-%d}")
    items = page.locator(".wl-item")
    expect(items).to_have_count(5)
    expect(items.first).to_contain_text("台账维护")
    expect(items.first).to_contain_text("欧***")
    expect(items.last).to_contain_text("巡查")
    expect(page.locator(".wl-day h2")).to_contain_text(f"{DAY:%Y-%m-%d}")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(screenshot_dir / "worklog-phone.png"), full_page=True)
    page.click("text=按周查看")
    # The day and the week both show the five records: wait for the week's page itself (its
    # link now offers the day view) before counting, so the paging below is the week's.
    expect(page.locator(".wl-span a")).to_have_text("按日查看")
    expect(page.locator(".wl-item")).to_have_count(5)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    page.click("#wl-older")
    expect(page.locator("#wl-empty")).to_be_visible()
    page.click("#wl-newer")
    expect(page.locator(".wl-item")).to_have_count(5)
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_secretarys_counts_page(
    live_server: Any, browser: Any, city: TestCity, users: RoleUsers, screenshot_dir: Path
) -> None:
    one_of_each(users, city)
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    browser_login(page, live_server, "secretary", "pw-secretary")
    page.goto(f"{live_server.url}/fieldwork/worklog/stats/?period=week&date={DAY:%Y-%m-%d}")
    row = page.locator("#wl-stats tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("2026-11-16~11-22")
    page.screenshot(path=str(screenshot_dir / "worklog-stats.png"), full_page=True)
    row.locator("a").click()
    expect(page.locator("h1")).to_contain_text("worker 的民情日志")
    context.close()
