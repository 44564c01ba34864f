import time
from typing import Any


def browser_login(page: Any, live_server: Any, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    # Each role lands on its own home (residents on their requests): wait to leave the form.
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


# The widest drawn shape on a Leaflet map, in screen pixels (grids are far wider than the
# fixed-size markers, so this follows the zoom).
_WIDEST_SHAPE = """(selector) => Math.max(0, ...[...document.querySelectorAll(
  selector + ' path.leaflet-interactive')].map((p) => p.getBoundingClientRect().width))"""


def zoom_out(page: Any, map_selector: str, *, timeout_ms: int = 15_000) -> None:
    """Press a Leaflet map's zoom-out button once and wait until that zoom has ended.

    Leaflet ignores a zoom asked for while the previous one is still animating (its animation
    ends on a 250 ms timer, later on a busy machine), so a fixed pause between two presses loses
    a step now and then. The zoom has ended when the drawn shapes are smaller than before and
    Leaflet no longer marks the map pane as animating (both change in the same task)."""
    the_map = page.locator(map_selector)
    pane = the_map.locator(".leaflet-map-pane")
    before = page.evaluate(_WIDEST_SHAPE, map_selector)
    assert before > 0, f"nothing drawn on {map_selector} to follow the zoom by"
    the_map.locator(".leaflet-control-zoom-out").click()
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        smaller = page.evaluate(_WIDEST_SHAPE, map_selector) < before * 0.95
        if smaller and "leaflet-zoom-anim" not in (pane.get_attribute("class") or ""):
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{map_selector} did not zoom out within {timeout_ms} ms")
        page.wait_for_timeout(50)  # polling interval of a condition, not a guess of how long


def follow_menu(page: Any, label: str) -> None:
    """Click the main menu's entry ``label`` as a person would: a long menu keeps it in a
    group that opens when the pointer rests on the group's heading."""
    entry = f'a:text-is("{label}")'
    link = page.locator(f"nav.mainnav {entry}")
    if not link.is_visible():
        page.locator("nav.mainnav .navgroup").filter(has=page.locator(entry)).hover()
    link.click()
