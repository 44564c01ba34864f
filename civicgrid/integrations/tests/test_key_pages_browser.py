"""The security administrator makes a key in the browser: it is shown once, then only its
prefix; revoking it from the list."""

from typing import Any

import pytest
from playwright.sync_api import expect

from civicgrid.accounts.choices import Role
from civicgrid.testing.browser import browser_login
from civicgrid.testing.cases import ensure_case_seeds
from civicgrid.testing.users import make_user


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_secadmin_creates_and_revokes_a_key(
    live_server: Any, page: Any, city: Any, screenshot_dir: Any
) -> None:
    ensure_case_seeds()
    make_user("secadmin", Role.SECADMIN)
    browser_login(page, live_server, "secadmin", "pw-secadmin")
    page.goto(f"{live_server.url}/integrations/keys/")
    page.click("text=新建密钥")
    page.fill("input[name=name]", "热线对接")
    page.fill("input[name=owner_system]", "市12345热线平台")
    page.fill("input[name=scopes]", city.street_a.code)
    page.check("input[name=operations][value=civicgrid_integrations_api_hotline_order]")
    page.fill("input[name=webhook_url]", "https://hotline.example.cn/callback")
    page.screenshot(path=str(screenshot_dir / "integrations-key-form.png"), full_page=True)
    page.click("button:has-text('创建')")
    key = page.locator("#raw-key")
    expect(key).to_contain_text("civ_")
    raw = key.inner_text()
    page.screenshot(path=str(screenshot_dir / "integrations-key-created.png"), full_page=True)

    page.click("text=返回密钥列表")
    expect(page.locator("table.integrations-keys")).to_contain_text("市12345热线平台")
    assert raw not in page.content()
    page.screenshot(path=str(screenshot_dir / "integrations-key-list.png"), full_page=True)

    page.click("table.integrations-keys >> text=吊销")
    page.fill("input[name=reason]", "对方系统下线")
    page.click("button:has-text('吊销')")
    expect(page.locator("table.integrations-keys")).to_contain_text("已吊销")
