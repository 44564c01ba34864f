"""入户走访 on a 360 px phone: the due list fits without sideways scrolling, the overdue person
is first and marked; 走访 opens the form, a visit is saved and the list says so."""

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from civicgrid.fieldwork.models import Visit
from civicgrid.fieldwork.tests.visit_page_helpers import due_person
from civicgrid.testing.browser import browser_login
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_visit_from_the_due_list_on_a_phone(
    live_server: Any, browser: Any, city: TestCity, users: RoleUsers, screenshot_dir: Path
) -> None:
    grid = city.grids["a1_west"]
    due_person(grid, "新标记", tagged_days_ago=1)
    due_person(grid, "久未访", tagged_days_ago=30)
    context = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.set_default_timeout(15_000)
    browser_login(page, live_server, "worker", "pw-worker")
    page.goto(f"{live_server.url}/fieldwork/visits/")
    first = page.locator(".fw-due-row").first
    expect(first).to_contain_text("久未访")
    expect(first).to_contain_text("逾期 23 天")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(screenshot_dir / "visits-phone.png"), full_page=True)
    first.locator(".fw-visit-btn").click()
    page.select_option("#id_purpose", "care")
    page.fill("#id_findings", "老人身体尚好,独自在家")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    page.click("#visit-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("走访已记录")
    assert Visit.objects.filter(person__name="久未访").count() == 1
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_street_opens_each_communitys_due_list_on_a_phone(
    live_server: Any, browser: Any, city: TestCity, users: RoleUsers, screenshot_dir: Path
) -> None:
    due_person(city.grids["a1_west"], "久未访", tagged_days_ago=30)
    due_person(city.grids["a1_east"], "也久未访", tagged_days_ago=30)
    due_person(city.grids["a2"], "另一社区", tagged_days_ago=30)
    context = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.set_default_timeout(15_000)
    browser_login(page, live_server, "command", "pw-command")
    page.goto(f"{live_server.url}/fieldwork/visits/")
    expect(page.locator(".fw-due h2")).to_contain_text(city.comm_a1.name)
    expect(page.locator(".fw-due-row")).to_have_count(2)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(screenshot_dir / "visits-street-phone.png"), full_page=True)
    page.locator(".fw-overdue-counts a", has_text=city.comm_a2.short_name).click()
    expect(page.locator(".fw-due h2")).to_contain_text(city.comm_a2.name)
    expect(page.locator(".fw-due-row")).to_have_count(1)
    expect(page.locator(".fw-due-row").first).to_contain_text("另一社区")
    page.get_by_role("link", name="返回全部社区").click()
    expect(page.locator(".fw-due h2")).to_contain_text(city.comm_a1.name)
    context.close()
