"""A grid named like an HTML tag is shown as those very characters on every map, never run
(docs/architecture.md, rule 7). Before, Leaflet received the name as an HTML string for its
tooltips and popups, so ``<img src=x onerror=...>`` in a grid name ran script for everyone who
opened the map; now names go in as text and the Content-Security-Policy would refuse an inline
handler anyway. The pages must still run all of their own scripts under that policy."""

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from shapely.geometry import Polygon, mapping

from civicgrid.cases.models import Category
from civicgrid.geo.index import bump_version
from civicgrid.geo.models import Grid
from civicgrid.testing.browser import browser_login
from civicgrid.testing.case_pages import ensure_seeded_categories
from civicgrid.testing.cases import IN_A1_WEST, case_category, report_case
from civicgrid.testing.city import ORIGIN_LAT, ORIGIN_LNG, STEP, TestCity
from civicgrid.testing.users import RoleUsers

GRID_NAME = "<img src=x onerror=window.__xss=1>"
# A second, invalid grid: its name reaches the coverage popup through the problem message.
BAD_GRID_NAME = "<img src=y onerror=window.__xss=2>"
CATEGORY_NAME = "<img src=z onerror=window.__xss=3>垃圾"

# Records every CSP violation on the page (an init script runs before the page's own).
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push({directive: e.effectiveDirective, blocked: e.blockedURI,
    source: e.sourceFile, sample: e.sample});
});
"""


def _check_page(page: Any, name: str, screenshot_dir: Path, problems: list[str]) -> None:
    page.screenshot(path=str(screenshot_dir / f"{name}.png"), full_page=True)
    assert page.evaluate("typeof window.__xss") == "undefined", name
    assert page.locator("img[src='x'], img[src='y'], img[src='z']").count() == 0, name
    violations = page.evaluate("window.__violations")
    scripts = [v for v in violations if v["directive"].startswith("script-src")]
    assert scripts == [], f"{name}: our scripts were blocked: {scripts}"
    # Styles: reported, not fatal — an inline style="" left in a template is refused by the
    # policy (cosmetic) and is listed here for whoever owns that template.
    problems += [f"{name}: {v}" for v in violations if not v["directive"].startswith("script")]


@pytest.fixture(autouse=True)
def _categories(transactional_db: Any) -> None:
    ensure_seeded_categories()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_grid_and_category_names_are_shown_as_text_on_every_map(
    live_server: Any, page: Any, city: TestCity, users: RoleUsers, screenshot_dir: Path
) -> None:
    grid = city.grids["a1_west"]
    Grid.objects.filter(pk=grid.pk).update(name=GRID_NAME)
    # A bow-tie inside a1_east: an invalid grid, reported on the map with its name.
    west, south = ORIGIN_LNG + STEP * 1.3, ORIGIN_LAT + STEP * 0.3
    size = STEP * 0.4
    bow_tie = Polygon(
        [(west, south), (west + size, south + size), (west + size, south), (west, south + size)]
    )
    Grid.objects.create(
        code=f"{city.comm_a1.code}009",
        name=BAD_GRID_NAME,
        community=city.comm_a1,
        geometry=dict(mapping(bow_tie)),
        area_m2=1.0,
        valid_from=date(2025, 1, 1),
    )
    bump_version()
    category = case_category()
    Category.objects.filter(pk=category.pk).update(name=CATEGORY_NAME)
    report_case(users.worker, point=IN_A1_WEST, at=timezone.now() - timedelta(minutes=5))

    page.add_init_script(WATCH)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    problems: list[str] = []
    browser_login(page, live_server, "command", "pw-command")

    # The grid map: permanent labels, the coverage popup, the card opened by a click.
    page.goto(f"{live_server.url}/geo/map/")
    page.wait_for_selector("#map[data-loaded][data-problems][data-fitted]")
    label = page.locator(".grid-label", has_text=GRID_NAME)
    expect(label).to_have_count(1)
    expect(label.first).to_have_text(GRID_NAME)
    page.locator(".map-legend").wait_for()
    # The invalid grid is outlined in the problem colour; its popup names it.
    page.locator("path.leaflet-interactive[stroke='#ef6c00']").first.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text(BAD_GRID_NAME)
    # Leaflet fades the popup in: the screenshot waits for it to be fully shown.
    expect(page.locator(".leaflet-popup")).to_have_css("opacity", "1")
    _check_page(page, "grid-map-popup", screenshot_dir, problems)
    page.keyboard.press("Escape")
    page.locator(".grid-label", has_text=GRID_NAME).first.click(force=True)
    # The card comes from an htmx request after the click.
    expect(page.locator("#grid-card-body h2")).to_contain_text(GRID_NAME)
    _check_page(page, "grid-map-card", screenshot_dir, problems)

    # The grid's own page with its neighbours' labels.
    page.goto(f"{live_server.url}/geo/grids/{city.grids['a1_east'].pk}/")
    page.locator(".grid-label", has_text=GRID_NAME).wait_for()
    _check_page(page, "grid-detail", screenshot_dir, problems)

    # The command centre's case map: grid labels and the marker's tooltip (category name).
    page.goto(f"{live_server.url}/cases/list/")
    page.wait_for_selector("#cases-map[data-loaded='1']")
    page.locator("#cases-map path.leaflet-interactive[stroke='#fff']").hover(force=True)
    tooltip = page.locator(".leaflet-tooltip:not(.grid-label)")
    expect(tooltip).to_contain_text(CATEGORY_NAME)
    assert page.get_by_text(GRID_NAME, exact=True).count() >= 1
    _check_page(page, "case-list", screenshot_dir, problems)

    # Case intake: grid labels on the pick map, and the located grid's name after a tap.
    page.goto(f"{live_server.url}/cases/new/")
    page.wait_for_selector("#pick-map[data-loaded]")
    page.locator("#pick-map .grid-label", has_text=GRID_NAME).wait_for()
    page.locator("#pick-map .grid-label", has_text=GRID_NAME).click(force=True)
    # The located grid's name arrives from a fetch after the tap.
    expect(page.locator("#locate-result")).to_contain_text(GRID_NAME)
    _check_page(page, "case-intake", screenshot_dir, problems)

    assert errors == [], errors
    print("\n".join(problems))  # style refusals, if any, for the report
