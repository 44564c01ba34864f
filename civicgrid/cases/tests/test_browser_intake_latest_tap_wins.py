"""Two quick taps on the intake map: the place shown is the last one tapped, even when the
answer for the first tap arrives after the second's (a slow network on a phone)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import expect

from civicgrid.testing.browser import browser_login
from civicgrid.testing.case_pages import ensure_seeded_categories
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_late_answer_for_an_earlier_tap_does_not_replace_the_latest_place(
    live_server: Any, browser: Any, city: TestCity, users: RoleUsers
) -> None:
    ensure_seeded_categories()
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    browser_login(page, live_server, "worker", "pw-worker")

    held: list[Any] = []

    def answer(route: Any) -> None:
        if not held:
            held.append(route)  # the first tap's answer waits until the second is shown
            return
        route.fulfill(content_type="application/json", body=json.dumps({"message": "位于 第二处"}))

    page.route("**/api/v1/geo/locate*", answer)
    page.goto(f"{live_server.url}/cases/new/")
    page.wait_for_selector("#pick-map[data-loaded='1']")
    box = page.locator("#pick-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.4, box["y"] + box["height"] * 0.5)
    page.mouse.click(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.5)
    expect(page.locator("#locate-result")).to_have_text("位于 第二处")
    assert held, "the first tap asked where it was"
    with page.expect_event("requestfinished"):
        held[0].fulfill(
            content_type="application/json", body=json.dumps({"message": "位于 第一处"})
        )
    # The late answer has arrived; give its handler a moment to (not) run.
    page.wait_for_timeout(300)
    expect(page.locator("#locate-result")).to_have_text("位于 第二处")
    context.close()
