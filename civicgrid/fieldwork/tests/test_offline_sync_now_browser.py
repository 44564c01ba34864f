"""立即同步 while a timer's pass is running still sends what waits for its next retry: the
forced pass follows the running one instead of being swallowed by it."""

from typing import Any

import pytest
from playwright.sync_api import expect

from civicgrid.cases.models import Case
from civicgrid.testing.browser import browser_login
from civicgrid.testing.case_pages import ensure_seeded_categories
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers

WAIT = 20_000


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_sync_now_during_a_running_pass_sends_an_item_not_yet_due(
    live_server: Any, browser: Any, city: TestCity, users: RoleUsers
) -> None:
    ensure_seeded_categories()
    context = browser.new_context(
        locale="zh-CN",
        viewport={"width": 360, "height": 740},
        geolocation={"latitude": 26.505, "longitude": 106.705, "accuracy": 8},
    )
    context.grant_permissions(["geolocation"], origin=live_server.url)
    page = context.new_page()
    page.set_default_timeout(WAIT)
    browser_login(page, live_server, "worker", "pw-worker")
    page.goto(f"{live_server.url}/fieldwork/")
    expect(page.locator("#outbox")).to_have_attribute("data-sw-ready", "1")

    # The server is busy: the report waits on the phone for its next retry.
    page.route("**/api/v1/fieldwork/reports", lambda route: route.fulfill(status=503, body="{}"))
    page.goto(f"{live_server.url}/fieldwork/report/")
    expect(page.locator("#quick-report")).to_have_attribute("data-fix", "1")
    page.select_option("#quick-report select[name=category]", label="0102 暴露垃圾")
    page.fill("#quick-report textarea[name=description]", "路面塌陷")
    page.click("#report-send")
    expect(page.locator("#outbox-count")).to_have_text("1")
    page.unroute("**/api/v1/fieldwork/reports")

    # A timer's pass (not forced: skips the item, its retry time has not come) is running
    # when the worker taps 立即同步.
    # The evaluate returns when the forced flush's promise settles, long before the retry
    # timer (10 s) could send the item: the case is there then only because of the tap.
    page.evaluate("() => { window.CivicOutbox.flush(); return window.CivicOutbox.flush(true); }")
    assert Case.objects.get().description == "路面塌陷"
    expect(page.locator("#outbox-count")).to_have_text("0")  # the panel redraws after the pass
    context.close()
