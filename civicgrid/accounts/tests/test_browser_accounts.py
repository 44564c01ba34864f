from pathlib import Path
from typing import Any

import pytest

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import User
from civicgrid.core.audit import audit_record
from civicgrid.testing.browser import browser_login
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers, make_user


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_security_admin_moves_a_worker_and_resets_a_password_on_a_phone(
    live_server: Any, page: Any, city: TestCity, users: RoleUsers, screenshot_dir: Path
) -> None:
    make_user("security", Role.SECADMIN)
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, live_server, "security", "pw-security")
    page.goto(f"{live_server.url}/accounts/manage/{users.worker.pk}/edit/")
    page.fill("#id_scopes", city.grids["a1_east"].code)
    page.fill("#id_reason", "网格调整")
    page.screenshot(path=str(screenshot_dir / "edit.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("button:has-text('保存')")
    page.wait_for_url(f"{live_server.url}/accounts/manage/")
    assert User.objects.get(pk=users.worker.pk).scope_codes == [city.grids["a1_east"].code]

    page.goto(f"{live_server.url}/accounts/manage/{users.worker.pk}/password/")
    page.fill("#id_password", "Temp-pass-2026")
    page.fill("#id_password2", "Temp-pass-2026")
    page.click("button:has-text('设置临时密码')")
    page.wait_for_url(f"{live_server.url}/accounts/manage/")
    page.screenshot(path=str(screenshot_dir / "list.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "worker")
    page.fill("#id_password", "Temp-pass-2026")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/accounts/password/")
    page.screenshot(path=str(screenshot_dir / "must-change.png"), full_page=True)
    assert "临时密码" in page.inner_text("main")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_auditor_reads_chinese_labels(
    live_server: Any, page: Any, city: TestCity, users: RoleUsers, screenshot_dir: Path
) -> None:
    audit_record(
        actor=users.secretary,
        action="unmask",
        target=users.resident,
        field="id_number,phone,address",
        reason="上门核实",
    )
    browser_login(page, live_server, "auditor", "pw-auditor")
    page.goto(f"{live_server.url}/accounts/audit/")
    page.screenshot(path=str(screenshot_dir / "audit.png"), full_page=True)
    row = page.inner_text("table.list tbody tr")
    assert "查看敏感信息" in row and "身份证号、电话、详细住址" in row and "成功" in row
