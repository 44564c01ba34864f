"""Reports filed offline that the server refuses when they finally arrive (their category was
retired meanwhile) are not retried forever: the 待同步 panel shows them as 发送失败 with the
server's Chinese reason; the worker discards one and corrects and resends the other. The category last used is remembered, and
no page of the phone app breaks the Content-Security-Policy."""

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from civicgrid.cases.models import Case
from civicgrid.testing.browser import browser_login
from civicgrid.testing.case_pages import ensure_seeded_categories
from civicgrid.testing.cases import case_category
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers

PHONE = {"width": 360, "height": 740}
WAIT = 20_000


@pytest.fixture(autouse=True)
def _categories(transactional_db: Any) -> None:
    ensure_seeded_categories()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_refused_reports_are_shown_as_failed_then_discarded_or_corrected(
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
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    browser_login(page, live_server, "worker", "pw-worker")
    page.goto(f"{live_server.url}/fieldwork/")
    expect(page.locator("#outbox")).to_have_attribute("data-sw-ready", "1", timeout=WAIT)
    page.click("#tile-report")
    expect(page.locator("h1")).to_have_text("拍照上报")
    expect(page.locator("#quick-report")).to_have_attribute("data-fix", "1", timeout=WAIT)

    context.set_offline(True)
    for count, words in enumerate(("楼道堆放杂物", "小区门口占道经营"), start=1):
        page.select_option("#quick-report select[name=category]", label="0102 暴露垃圾")
        page.fill("#quick-report textarea[name=description]", words)
        page.click("#report-send")
        expect(page.locator("#outbox-count")).to_have_text(str(count), timeout=WAIT)

    # While the phone is offline the category is retired at the desk.
    category = case_category()
    category.retired_on = timezone.localdate()
    category.save(update_fields=["retired_on"])

    context.set_offline(False)
    failed = page.locator("#outbox-list .fw-outbox-item.failed")
    expect(page.locator("#outbox")).to_have_attribute("data-failed", "2", timeout=WAIT)
    expect(failed.first).to_contain_text("发送失败")
    expect(failed.first).to_contain_text("请选择有效的事件小类")
    page.click("#outbox summary")
    page.screenshot(path=str(screenshot_dir / "1-failed-with-reason.png"), full_page=True)
    assert not Case.objects.exists()

    # Not retried on its own: still failed after a forced sync.
    page.click("#outbox-sync")
    # Wait for the pass the button started to end (a flush asked for during a pass returns
    # that pass) before checking that nothing was sent.
    page.evaluate("() => window.CivicOutbox.flush()")
    expect(page.locator("#outbox")).to_have_attribute("data-failed", "2")
    assert not Case.objects.exists()

    # The first is dropped; the second is corrected and sent again.
    failed.filter(has_text="楼道堆放杂物").locator("button[data-action=discard]").click()
    expect(page.locator("#outbox-count")).to_have_text("1", timeout=WAIT)
    category.retired_on = None
    category.save(update_fields=["retired_on"])
    failed.filter(has_text="小区门口占道经营").locator("button[data-action=edit]").click()
    expect(page.locator("#quick-report textarea[name=description]")).to_have_value(
        "小区门口占道经营"
    )
    expect(page.locator("#outbox-count")).to_have_text("0", timeout=WAIT)
    page.click("#report-send")
    expect(page.locator("#report-result")).to_contain_text("已上报", timeout=WAIT)
    assert list(Case.objects.values_list("description", flat=True)) == ["小区门口占道经营"]
    expect(page.locator("#outbox-empty")).to_be_visible()

    # The category used last is chosen again on the next report.
    page.reload()
    expect(page.locator("#quick-report select[name=category]")).to_have_value(str(category.pk))
    page.screenshot(path=str(screenshot_dir / "2-discarded.png"), full_page=True)
    assert violations == []
    context.close()
