from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from civicgrid.testing.browser import browser_login, follow_menu, zoom_out
from civicgrid.testing.case_pages import ensure_seeded_categories
from civicgrid.testing.cases import IN_A1_EAST, IN_A1_WEST, report_case
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers


@pytest.fixture(autouse=True)
def _categories(transactional_db: Any) -> None:
    ensure_seeded_categories()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_command_centre_opens_a_case_from_its_marker(
    live_server: Any, page: Any, city: TestCity, users: RoleUsers, screenshot_dir: Path
) -> None:
    case = report_case(users.worker, at=timezone.now() - timedelta(minutes=5))
    browser_login(page, live_server, "command", "pw-command")
    follow_menu(page, "事件列表")
    page.wait_for_selector("#cases-map[data-loaded='1']")
    page.screenshot(path=str(screenshot_dir / "command-map.png"), full_page=True)
    # Markers are the only shapes drawn with a white outline; grids have a dark one.
    page.locator("#cases-map path.leaflet-interactive[stroke='#fff']").click()
    page.wait_for_url(f"{live_server.url}/cases/{case.pk}/")
    expect(page.locator("#case-status")).to_have_text("待受理")


# The share of the map's width or height that the drawn grids and markers span.
SPAN = """() => {
  const box = document.querySelector('#cases-map').getBoundingClientRect();
  const shapes = [...document.querySelectorAll('#cases-map path.leaflet-interactive')]
    .map((p) => p.getBoundingClientRect());
  const left = Math.min(...shapes.map((r) => r.left)), right = Math.max(...shapes.map((r) => r.right));
  const top = Math.min(...shapes.map((r) => r.top)), bottom = Math.max(...shapes.map((r) => r.bottom));
  return Math.max((right - left) / box.width, (bottom - top) / box.height);
}"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_command_map_fills_with_its_grids_and_names_them_only_when_they_fit(
    live_server: Any, browser: Any, city: TestCity, users: RoleUsers, screenshot_dir: Path
) -> None:
    report_case(users.worker, point=IN_A1_WEST, at=timezone.now() - timedelta(minutes=5))
    report_case(users.worker, point=IN_A1_EAST, at=timezone.now() - timedelta(minutes=5))
    context = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    browser_login(page, live_server, "command", "pw-command")
    page.goto(f"{live_server.url}/cases/list/")
    page.wait_for_selector("#cases-map[data-loaded='2']")
    page.screenshot(path=str(screenshot_dir / "command-map-desktop.png"), full_page=True)
    assert page.evaluate(SPAN) > 0.85
    expect(page.locator("#cases-map .grid-label").first).to_be_visible()

    for _step in range(8):
        zoom_out(page, "#cases-map")  # each press waits for its zoom to end
    page.wait_for_selector("#cases-map.labels-off")
    expect(page.locator("#cases-map .grid-label").first).to_be_hidden()
    page.screenshot(path=str(screenshot_dir / "command-map-zoomed-out.png"))
    context.close()
