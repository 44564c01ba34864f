"""On a 360 px phone the patrol and 拍照上报 pages show the worker's own grid outline, and
still show it with the network gone: the service worker keeps the grid's GeoJSON with the
pages (precached at install, refreshed on every online load)."""

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from civicgrid.testing.browser import browser_login
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers

PHONE = {"width": 360, "height": 740}
WAIT = 20_000


def _outline_shown(page: Any, name: str) -> None:
    expect(page.locator("#grid-map")).to_have_attribute("data-grid-drawn", "1", timeout=WAIT)
    expect(page.locator("#grid-map path.fw-grid-outline")).to_have_count(1, timeout=WAIT)
    expect(page.locator("#grid-map-caption")).to_have_text(name, timeout=WAIT)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_grid_outline_shows_offline(
    live_server: Any, browser: Any, city: TestCity, users: RoleUsers, screenshot_dir: Path
) -> None:
    grid = city.grids["a1_west"]
    context = browser.new_context(
        locale="zh-CN",
        viewport=PHONE,
        geolocation={"latitude": 26.505, "longitude": 106.705, "accuracy": 8},
        service_workers="allow",
    )
    context.grant_permissions(["geolocation"], origin=live_server.url)
    page = context.new_page()
    page.set_default_timeout(WAIT)
    browser_login(page, live_server, "worker", "pw-worker")
    page.goto(f"{live_server.url}/fieldwork/")
    expect(page.locator("#sw-state")).to_have_attribute("data-ready", "1", timeout=WAIT)

    page.goto(f"{live_server.url}/fieldwork/patrol/")
    _outline_shown(page, grid.name)
    page.screenshot(path=str(screenshot_dir / "1-patrol-online.png"), full_page=True)

    context.set_offline(True)
    page.goto(f"{live_server.url}/fieldwork/patrol/")
    _outline_shown(page, grid.name)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(screenshot_dir / "2-patrol-offline.png"), full_page=True)

    page.goto(f"{live_server.url}/fieldwork/report/")
    expect(page.locator("h1")).to_have_text("拍照上报")
    _outline_shown(page, grid.name)
    page.screenshot(path=str(screenshot_dir / "3-report-offline.png"), full_page=True)
    context.close()
