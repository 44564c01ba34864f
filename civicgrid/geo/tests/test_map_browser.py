from typing import Any

import pytest
from playwright.sync_api import expect

from civicgrid.testing.browser import browser_login, follow_menu
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_grid_worker_sees_own_grid_on_the_map_with_chinese_labels(
    live_server: Any, page: Any, city: TestCity, users: RoleUsers, screenshot_dir: Any
) -> None:
    browser_login(page, live_server, "worker", "pw-worker")
    follow_menu(page, "网格地图")
    expect(page.locator("#map")).to_have_attribute("data-loaded", "1")
    label = page.locator(".grid-label")
    expect(label).to_have_count(1)
    expect(label.first).to_have_text(city.grids["a1_west"].name)
    page.screenshot(path=str(screenshot_dir / "map.png"), full_page=True)

    # Clicking the grid opens its card with the community and the grid worker.
    page.locator("path.leaflet-interactive").first.click()
    # The card comes from an htmx request after the click.
    card = page.locator("#grid-card-body")
    expect(card).to_contain_text(city.grids["a1_west"].code)
    expect(card).to_contain_text("甲一社区")
    expect(card).to_contain_text("worker")
    page.screenshot(path=str(screenshot_dir / "map-card.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_cadre_browses_the_region_tree_on_a_phone(
    live_server: Any, page: Any, city: TestCity, users: RoleUsers, screenshot_dir: Any
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, live_server, "cadre", "pw-cadre")
    page.goto(f"{live_server.url}/geo/regions/")
    tree = page.locator(".tree").inner_text()
    assert "甲一社区" in tree and "甲二社区" not in tree
    assert city.grids["a1_east"].name in tree
    page.screenshot(path=str(screenshot_dir / "regions-phone.png"), full_page=True)
