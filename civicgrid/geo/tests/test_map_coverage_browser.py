import re
from typing import Any

import pytest
from playwright.sync_api import expect

from civicgrid.geo.geometry import to_geojson
from civicgrid.geo.index import bump_version
from civicgrid.geo.models import Grid
from civicgrid.testing.browser import browser_login
from civicgrid.testing.city import TestCity, square
from civicgrid.testing.users import RoleUsers


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_command_centre_sees_coverage_problems_highlighted_on_a_phone(
    live_server: Any, page: Any, city: TestCity, users: RoleUsers, screenshot_dir: Any
) -> None:
    # Plant an overlap (a1_west reaches into a1_east) and a gap (a2 shrinks to half).
    Grid.objects.filter(pk=city.grids["a1_west"].pk).update(
        geometry=to_geojson(square(0, cols=1.3))
    )
    Grid.objects.filter(pk=city.grids["a2"].pk).update(geometry=to_geojson(square(2, cols=0.5)))
    bump_version()
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, live_server, "command", "pw-command")
    page.goto(f"{live_server.url}/geo/map/")
    page.wait_for_selector("#map[data-fitted]")
    expect(page.locator("#map")).to_have_attribute("data-problems", "2")
    legend = page.locator(".map-legend")
    expect(legend).to_contain_text("空隙 1")
    expect(legend).to_contain_text("重叠 1")
    page.screenshot(path=str(screenshot_dir / "coverage-phone.png"), full_page=True)

    # The problem's popup explains it in Chinese with its area.
    page.locator("path[stroke='#d32f2f']").first.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("空隙")
    expect(popup).to_contain_text("平方米")
    # Leaflet fades the popup in: the screenshot waits for it to be fully shown.
    expect(page.locator(".leaflet-popup")).to_have_css("opacity", "1")
    page.screenshot(path=str(screenshot_dir / "coverage-popup.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_command_centre_splits_a_grid_by_drawing_a_line(
    live_server: Any, page: Any, city: TestCity, users: RoleUsers, screenshot_dir: Any
) -> None:
    grid = city.grids["a1_west"]
    browser_login(page, live_server, "command", "pw-command")
    page.goto(f"{live_server.url}/geo/grids/{grid.pk}/")
    shape = page.locator("#grid-shape")
    own = shape.locator("path.leaflet-interactive[stroke='#c0392b']")
    expect(own).to_be_visible()

    def tap(edge: str) -> None:
        # Where the grid is drawn at this moment: the page refits the map once its layout has
        # settled (on a timer), so a position taken from the map's box alone can miss it.
        the_map, grid_box = shape.bounding_box(), own.bounding_box()
        x = grid_box["x"] - the_map["x"] + grid_box["width"] / 2
        top = grid_box["y"] - the_map["y"]
        y = top - 12 if edge == "above" else top + grid_box["height"] + 12
        shape.click(position={"x": x, "y": y})

    # A vertical line through the middle of the grid, from above it to below it (the grid is
    # fitted with 30 px of padding, so both ends are on the map).
    tap("above")
    tap("below")
    expect(page.locator("#id_cutter")).to_have_value(re.compile(r'^\{"type":"LineString"'))
    page.screenshot(path=str(screenshot_dir / "split-drawn.png"), full_page=True)
    page.click("#split-form button[type=submit]")
    page.wait_for_selector("text=网格已拆分为")
    expect(page.locator("#grid-card-body")).to_contain_text(grid.code)  # lineage: 前身网格
    assert Grid.objects.current().filter(code__startswith=city.comm_a1.code).count() == 3
    page.screenshot(path=str(screenshot_dir / "split-done.png"), full_page=True)
