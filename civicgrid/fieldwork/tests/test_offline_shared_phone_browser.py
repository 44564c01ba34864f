"""One phone, two grid workers: what the first left waiting in 待同步 is neither shown to nor
sent by the second, and goes up under the first worker's name when they sign in again; signing
out forgets the pages kept for offline use."""

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from civicgrid.cases.models import Case
from civicgrid.testing.browser import browser_login
from civicgrid.testing.case_pages import ensure_seeded_categories
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers

PHONE = {"width": 360, "height": 740}
WAIT = 20_000


@pytest.fixture(autouse=True)
def _categories(transactional_db: Any) -> None:
    ensure_seeded_categories()


def _flush(page: Any) -> None:
    """Send what waits, as the panel's sync button does, and wait until that pass is over.

    The page starts an unforced pass when it loads, and a forced flush asked for while a pass
    is running returns that pass, which skips items whose retry time has not come: the first
    call waits for whatever pass is running, the second is a forced pass of its own."""
    page.evaluate("() => window.CivicOutbox.flush()")
    page.evaluate("() => window.CivicOutbox.flush()")


def _sign_out(page: Any) -> None:
    page.locator("form[action$='/logout/'] button").click()
    page.wait_for_url(lambda url: "/fieldwork/" not in url)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_waiting_items_stay_with_the_worker_who_made_them(
    live_server: Any, browser: Any, city: TestCity, users: RoleUsers, screenshot_dir: Path
) -> None:
    context = browser.new_context(
        locale="zh-CN",
        viewport=PHONE,
        geolocation={"latitude": 26.505, "longitude": 106.705, "accuracy": 8},
    )
    context.grant_permissions(["geolocation"], origin=live_server.url)
    page = context.new_page()
    page.set_default_timeout(WAIT)
    browser_login(page, live_server, "worker", "pw-worker")
    page.goto(f"{live_server.url}/fieldwork/")
    expect(page.locator("#outbox")).to_have_attribute("data-sw-ready", "1", timeout=WAIT)

    # The server cannot be reached for reports: the report waits on the phone.
    page.route("**/api/v1/fieldwork/reports", lambda route: route.abort())
    page.goto(f"{live_server.url}/fieldwork/report/")
    expect(page.locator("#quick-report")).to_have_attribute("data-fix", "1", timeout=WAIT)
    page.select_option("#quick-report select[name=category]", label="0102 暴露垃圾")
    page.fill("#quick-report textarea[name=description]", "井盖缺失")
    page.click("#report-send")
    expect(page.locator("#outbox-count")).to_have_text("1", timeout=WAIT)
    page.unroute("**/api/v1/fieldwork/reports")
    assert page.evaluate(
        "async () => (await caches.keys()).some((n) => n.startsWith('civicgrid-pages-'))"
    )

    _sign_out(page)
    assert not page.evaluate(
        "async () => (await caches.keys()).some((n) => n.startsWith('civicgrid-pages-'))"
    )

    # Another worker on the same phone sees nothing waiting, and sends nothing of it.
    browser_login(page, live_server, "outsider", "pw-outsider")
    page.goto(f"{live_server.url}/fieldwork/")
    _flush(page)
    expect(page.locator("#outbox-count")).to_have_text("0")
    expect(page.locator("#outbox")).to_have_attribute("data-waiting", "0")
    page.click("#outbox summary")
    expect(page.locator("#outbox-empty")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "1-other-worker.png"), full_page=True)
    assert not Case.objects.exists()
    _sign_out(page)

    # The first worker is back: the report goes up under their name.
    browser_login(page, live_server, "worker", "pw-worker")
    page.goto(f"{live_server.url}/fieldwork/")
    _flush(page)
    expect(page.locator("#outbox-count")).to_have_text("0", timeout=WAIT)
    case = Case.objects.get()
    assert case.description == "井盖缺失"
    assert case.first_owner_id == users.worker.pk
    context.close()
