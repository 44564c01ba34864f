from typing import Any

import pytest

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
    assert page.get_attribute("#map", "data-problems") == "2"
    legend = page.locator(".map-legend").inner_text()
    assert "空隙 1" in legend and "重叠 1" in legend
    page.screenshot(path=str(screenshot_dir / "coverage-phone.png"), full_page=True)

    # The problem's popup explains it in Chinese with its area.
    page.locator("path[stroke='#d32f2f']").first.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    page.wait_for_timeout(400)  # let the popup finish fading in before the screenshot
    assert "空隙" in popup.inner_text() and "平方米" in popup.inner_text()
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
    shape.wait_for()
    page.wait_for_timeout(300)
    box = shape.bounding_box()
    # The grid is fitted in the map with padding: a vertical line through the middle,
    # from above the grid to below it.
    shape.click(position={"x": box["width"] / 2, "y": 5})
    shape.click(position={"x": box["width"] / 2, "y": box["height"] - 5})
    assert page.input_value("#id_cutter").startswith('{"type":"LineString"')
    page.screenshot(path=str(screenshot_dir / "split-drawn.png"), full_page=True)
    page.click("#split-form button[type=submit]")
    page.wait_for_selector("text=网格已拆分为")
    assert grid.code in page.inner_text("#grid-card-body")  # lineage: 前身网格
    assert Grid.objects.current().filter(code__startswith=city.comm_a1.code).count() == 3
    page.screenshot(path=str(screenshot_dir / "split-done.png"), full_page=True)
