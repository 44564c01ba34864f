"""A report filed offline that the server refuses when it finally arrives (its category was
retired meanwhile) is not retried forever: the 待同步 panel shows it as 发送失败 with the
server's Chinese reason, and the worker discards it. The category last used is remembered, and
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
def test_a_refused_report_is_shown_as_failed_with_the_reason_and_can_be_discarded(
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
    page.select_option("#quick-report select[name=category]", label="0102 暴露垃圾")
    page.fill("#quick-report textarea[name=description]", "楼道堆放杂物")
    page.click("#report-send")
    expect(page.locator("#outbox-count")).to_have_text("1", timeout=WAIT)

    # While the phone is offline the category is retired at the desk.
    category = case_category()
    category.retired_on = timezone.localdate()
    category.save(update_fields=["retired_on"])

    context.set_offline(False)
    failed = page.locator("#outbox-list .fw-outbox-item.failed")
    expect(failed).to_contain_text("发送失败", timeout=WAIT)
    expect(failed).to_contain_text("请选择有效的事件小类")
    expect(page.locator("#outbox")).to_have_attribute("data-failed", "1")
    page.click("#outbox summary")
    page.screenshot(path=str(screenshot_dir / "1-failed-with-reason.png"), full_page=True)
    assert not Case.objects.exists()

    # Not retried on its own: still failed after a forced sync.
    page.click("#outbox-sync")
    expect(failed).to_contain_text("请选择有效的事件小类")
    assert not Case.objects.exists()

    failed.locator("button[data-action=discard]").click()
    expect(page.locator("#outbox-count")).to_have_text("0", timeout=WAIT)
    expect(page.locator("#outbox-empty")).to_be_visible()

    # The category used last is chosen again on the next report.
    category.retired_on = None
    category.save(update_fields=["retired_on"])
    page.reload()
    expect(page.locator("#quick-report select[name=category]")).to_have_value(str(category.pk))
    page.screenshot(path=str(screenshot_dir / "2-discarded.png"), full_page=True)
    assert violations == []
    context.close()
