"""As the command centre: pick a returned case among the candidates, convene a joint meeting
on it with two departments, record and apply the lead department's decision, and close it
before its announced time with a stated reason."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from civicgrid.participation.joint.testing import bounce
from civicgrid.testing.browser import browser_login, follow_menu
from civicgrid.testing.case_pages import ensure_seeded_categories


@pytest.fixture(autouse=True)
def _categories(transactional_db: Any) -> None:
    ensure_seeded_categories()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_command_convenes_a_meeting_and_assigns_the_lead(
    live_server: Any, page: Any, users: Any, waiting_case: Any, zjj: Any, screenshot_dir: Path
) -> None:
    case = bounce(
        waiting_case,
        command=users.command,
        passes=[(users.dept, users.department), zjj],
        reason="不属于本部门职责",
    )
    browser_login(page, live_server, "command", "pw-command")
    follow_menu(page, "联席会议")
    page.click("text=待协调事件")
    expect(page.locator("table.jm-candidates")).to_contain_text(case.number)
    page.screenshot(path=str(screenshot_dir / "joint-candidates.png"), full_page=True)
    page.check(f"#jm-case-{case.pk}")
    page.click("text=将所选事件列入新会议")
    expect(page.locator("#id_cases")).to_have_value(case.number)
    page.fill("#id_title", "建筑垃圾处置联席会议")
    # Announced for tomorrow, so closing it today asks for a reason.
    tomorrow = timezone.localtime() + timedelta(days=1)
    page.fill("#id_starts_at", tomorrow.strftime("%Y-%m-%dT09:30"))
    page.check("label:has-text('城管局') >> input")
    page.check("label:has-text('住建局') >> input")
    page.click("text=创建会议(草稿)")
    expect(page.locator("h1")).to_contain_text("建筑垃圾处置联席会议")
    page.click("text=召集会议并通知参会部门")
    expect(page.locator(".messages")).to_contain_text("会议已召集")
    row = page.locator("table.jm-agenda tbody tr").first
    row.locator("select[name$='-lead']").select_option(label="住建局")
    row.locator("label:has-text('城管局') >> input").check()
    row.locator("input[name$='-due_days']").fill("5")
    row.locator("textarea[name$='-note']").fill("住建局牵头,城管局配合清运")
    row.locator("button[name=apply]").click()
    expect(page.locator(".messages")).to_contain_text("已按决定派遣")
    expect(row.locator(".jm-lead")).to_have_text("住建局")
    expect(row).to_contain_text("待签收")
    expect(row).to_contain_text("已执行")
    page.fill("textarea[name=minutes]", "会议明确由住建局主办,城管局协办,5 个工作日内办结。")
    page.screenshot(path=str(screenshot_dir / "joint-meeting-decided.png"), full_page=True)
    expect(page.locator("#close-early-warning")).to_contain_text("尚未到时间")
    page.fill("#jm-close-reason", "议题已提前议完")
    page.click("text=保存并结束会议(发布纪要)")
    expect(page.locator(".messages")).to_contain_text("纪要和决定已发布")
    expect(page.locator("#early-close-reason")).to_have_text("议题已提前议完")
    case.refresh_from_db()
    assert case.department == zjj[0]
    page.goto(page.url + "print/")
    expect(page.locator(".jm-minutes")).to_contain_text("住建局主办")
    page.screenshot(path=str(screenshot_dir / "joint-minutes-print.png"), full_page=True)
    meeting_url = page.url.removesuffix("print/")
    # The invited department reads the published decision and minutes.
    page.context.clear_cookies()
    browser_login(page, live_server, "dept", "pw-dept")
    page.goto(meeting_url)
    expect(page.locator(".jm-minutes")).to_contain_text("住建局主办")
    expect(page.locator(".jm-lead")).to_have_text("住建局")
    expect(page.locator("#early-close-reason")).to_have_text("议题已提前议完")
    page.screenshot(path=str(screenshot_dir / "joint-department-view.png"), full_page=True)
