from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from civicgrid.registry.tests.factories import (
    make_building,
    make_dwelling,
    make_household,
    make_person,
)
from civicgrid.testing.browser import browser_login
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_printed_ledger_hides_the_page_chrome_and_masks_numbers(
    live_server: Any, page: Any, city: TestCity, users: RoleUsers, screenshot_dir: Path
) -> None:
    grid = city.grids["a1_west"]
    for b in range(2):
        building = make_building(grid, f"甲一路{b + 1}号", floors=6, units=2)
        for r in range(3):
            dwelling = make_dwelling(building, room=f"{r + 1}01")
            household = make_household(dwelling, number=f"H{b}{r}")
            person = make_person(
                grid,
                name=f"张{b}{r}",
                phone="13812345678",
                household=household,
                dwelling=dwelling,
                relation="head",
            )
            household.head = person
            household.save()
    browser_login(page, live_server, "worker", "pw-worker")
    page.goto(f"{live_server.url}/registry/io/ledger/")
    page.screenshot(path=str(screenshot_dir / "ledger-list.png"), full_page=True)
    page.click("text=打印台账")
    expect(page.locator(".ledger h1")).to_be_visible()
    expect(page.locator(".ledger")).to_contain_text("138****5678")
    page.emulate_media(media="print")
    expect(page.locator(".topbar")).to_be_hidden()
    expect(page.locator("section.building")).to_have_count(2)
    page.screenshot(path=str(screenshot_dir / "ledger-print.png"), full_page=True)
