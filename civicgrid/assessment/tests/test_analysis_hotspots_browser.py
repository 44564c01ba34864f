"""The hotspot page in a desktop browser: the grids, a red circle over the planted cluster with
its category as a text tooltip, the list linking to the cases. The screenshot is looked at by
the person changing the page."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from civicgrid.assessment.measures import local_tz
from civicgrid.assessment.tests.history import new_case
from civicgrid.testing.browser import browser_login
from civicgrid.testing.cases import IN_A1_EAST, IN_A1_WEST, case_category


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_hotspot_page_shows_the_cluster_on_the_map(
    live_server: Any, browser: Any, city: Any, users: Any, screenshot_dir: Path
) -> None:
    now = timezone.now().astimezone(local_tz())
    west, east = city.grids["a1_west"], city.grids["a1_east"]
    for n in range(4):
        new_case(
            west.code,
            grid=west,
            category=case_category(),
            when=now - timedelta(days=2 * n + 1),
            lat=IN_A1_WEST[0] + 0.0002 * n,
            lng=IN_A1_WEST[1] + 0.0001 * n,
        )
    for n in range(3):  # a second, smaller cluster of another category
        new_case(
            east.code,
            grid=east,
            category=case_category("0101"),
            when=now - timedelta(days=n + 1),
            lat=IN_A1_EAST[0] - 0.0003 * n,
            lng=IN_A1_EAST[1],
        )
    new_case(west.code, grid=west, when=now - timedelta(days=3), lat=26.509, lng=106.701)

    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    browser_login(page, live_server, "command", "pw-command")
    page.goto(f"{live_server.url}/assessment/analysis/hotspots/")
    rows = page.locator("#hotspots tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("4")
    expect(rows.first.locator("a")).to_have_count(4)
    the_map = page.locator("#hotspot-map")
    expect(the_map).to_have_attribute("data-loaded", "2")
    circles = the_map.locator('path.leaflet-interactive[stroke="#c62828"]')
    expect(circles).to_have_count(2)
    circles.first.hover(force=True)
    tip = page.locator(".leaflet-tooltip .hotspot-tip")
    expect(tip).to_have_count(1)
    expect(tip).to_contain_text("件")
    page.screenshot(path=str(screenshot_dir / "hotspots.png"), full_page=True)
    context.close()
