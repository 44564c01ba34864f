"""With no tile server a map shows the city's streets and communities under the grids, not a
grey box; on GCJ-02 tiles the browser shifts our WGS84 data by the national formula."""

from typing import Any

import pytest
from playwright.sync_api import expect

from civicgrid.testing.browser import browser_login, zoom_out
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_grid_map_draws_the_city_under_the_grids_without_tiles(
    live_server: Any, page: Any, city: TestCity, users: RoleUsers, screenshot_dir: Any
) -> None:
    browser_login(page, live_server, "command", "pw-command")
    page.goto(f"{live_server.url}/geo/map/")
    expect(page.locator("#map.civic-offline-map")).to_be_visible()
    # Zoomed in on the grids: community names under the grid labels, boundaries under the
    # grids (the grids still show their colours above them).
    expect(page.locator(".base-label-community")).to_have_count(3)
    expect(page.locator(".leaflet-civicBase-pane path")).to_have_count(5)
    expect(page.locator(".leaflet-control-attribution")).to_contain_text("本市街道与社区边界")
    page.screenshot(path=str(screenshot_dir / "communities.png"))

    # Zoomed out: street names instead, one each, never both in a pile.
    for _ in range(3):
        zoom_out(page, "#map")  # each press waits for its zoom to end
    expect(page.locator(".base-label-street")).to_have_count(2)
    expect(page.locator(".base-label-street").first).to_have_text("甲街道")
    expect(page.locator(".base-label-community")).to_have_count(0)
    page.screenshot(path=str(screenshot_dir / "streets.png"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_gcj02_shift_matches_the_national_formula(
    live_server: Any, page: Any, city: TestCity, users: RoleUsers
) -> None:
    browser_login(page, live_server, "command", "pw-command")
    page.goto(f"{live_server.url}/geo/map/")
    shifted = page.evaluate("CivicBasemap.wgsToGcj(31.1774276, 121.5272106)")
    # Reference values of the published WGS84 → GCJ-02 transform (Shanghai, ~450 m east).
    assert shifted == pytest.approx([31.17530398364597, 121.531541859215], abs=1e-7)
    back = page.evaluate("CivicBasemap.gcjToWgs(31.17530398364597, 121.531541859215)")
    assert back == pytest.approx([31.1774276, 121.5272106], abs=1e-7)
    # Outside China nothing moves.
    assert page.evaluate("CivicBasemap.wgsToGcj(51.5, -0.12)") == [51.5, -0.12]
