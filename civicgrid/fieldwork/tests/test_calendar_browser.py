"""The 一日双巡 calendar fits a 360 px phone, coloured by verdict with its legend; the
secretary's day list links each worker to their calendar."""

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from civicgrid.fieldwork.choices import ComplianceStatus
from civicgrid.fieldwork.tests.page_helpers import make_verdict
from civicgrid.testing.browser import browser_login
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_calendar_on_a_phone_and_the_day_list(
    live_server: Any, browser: Any, city: TestCity, users: RoleUsers, screenshot_dir: Path
) -> None:
    grid = city.grids["a1_west"]
    verdicts = [
        ComplianceStatus.COMPLIANT,
        ComplianceStatus.ONE_ONLY,
        ComplianceStatus.NONE,
        ComplianceStatus.TOO_SHORT,
        ComplianceStatus.OUTSIDE,
    ]
    for i, status in enumerate(verdicts):
        make_verdict(users.worker, grid, date(2026, 5, 4 + i), status)
    context = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.set_default_timeout(15_000)
    browser_login(page, live_server, "worker", "pw-worker")
    page.goto(f"{live_server.url}/fieldwork/calendar/?month=2026-05")
    expect(page.locator("td[data-day='2026-05-04']")).to_have_class(re.compile(r"\bst-compliant\b"))
    # The month fits the phone: no sideways scrolling.
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360
    page.screenshot(path=str(screenshot_dir / "calendar-phone.png"), full_page=True)
    page.click("text=上个月")
    expect(page.locator("#calendar-month")).to_have_text("2026-04")
    context.close()

    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 860})
    page = context.new_page()
    page.set_default_timeout(15_000)
    browser_login(page, live_server, "secretary", "pw-secretary")
    page.goto(f"{live_server.url}/fieldwork/compliance/?day=2026-05-05")
    expect(page.locator("#compliance-rows")).to_contain_text("只巡一次")
    page.screenshot(path=str(screenshot_dir / "compliance-desk.png"), full_page=True)
    page.click("#compliance-rows >> text=worker")
    expect(page.locator("td[data-day='2026-05-05']")).to_have_class(re.compile(r"\bst-one_only\b"))
    context.close()
