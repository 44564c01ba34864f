"""In a browser: a resident on a 390 px phone proposes an issue and supports a neighbour's; the
secretary holds a meeting on a council-routed case, takes the votes, resolves it and the case
moves on to verification."""

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from civicgrid.accounts.choices import Role
from civicgrid.cases.choices import CaseStatus
from civicgrid.cases.models import CaseEvent
from civicgrid.participation.councils.models import Proposal
from civicgrid.participation.councils.testing import (
    council_case,
    make_council,
    make_proposal,
    set_community,
)
from civicgrid.testing.case_pages import browser_sign_in
from civicgrid.testing.users import make_user

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}


def _page(browser: Any, viewport: dict[str, int]) -> Any:
    context = browser.new_context(locale="zh-CN", viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_resident_proposes_and_supports_on_a_phone(
    live_server: Any, browser: Any, city: Any, users: Any, screenshot_dir: Path
) -> None:
    make_council(city.comm_a1.code, threshold=2)
    set_community(users.resident, city.comm_a1.code)
    neighbour = make_user("neighbour", Role.RESIDENT)
    make_proposal(neighbour, city.comm_a1.code, title="单元门口规范电动车停放")
    page = _page(browser, PHONE)
    browser_sign_in(page, live_server, "resident", "pw-resident")
    page.goto(f"{live_server.url}/councils/proposals/")
    expect(page.locator("h1")).to_have_text("居民议题")
    page.screenshot(path=str(screenshot_dir / "proposals_phone.png"), full_page=True)
    page.locator("#proposal-new").click()
    page.fill("#id_title", "东门加装路灯")
    page.fill("#id_description", '晚上太黑 <img src=x onerror="alert(1)">')
    page.fill("#id_address", "小区东门")
    page.screenshot(path=str(screenshot_dir / "proposal_new_phone.png"), full_page=True)
    page.get_by_role("button", name="提交议题").click()
    expect(page.locator("#proposal h1")).to_have_text("东门加装路灯")
    expect(page.locator(".proposal-body")).to_contain_text('<img src=x onerror="alert(1)">')
    expect(page.locator("#proposal")).to_contain_text("这是您提出的议题")
    page.screenshot(path=str(screenshot_dir / "proposal_mine_phone.png"), full_page=True)
    page.goto(f"{live_server.url}/councils/proposals/")
    page.get_by_role("link", name="单元门口规范电动车停放").click()
    page.locator("#support").click()
    expect(page.locator("#support-count")).to_have_text("1")
    expect(page.locator("#proposal")).to_contain_text("您已支持该议题")
    page.screenshot(path=str(screenshot_dir / "proposal_supported_phone.png"), full_page=True)
    assert Proposal.objects.get(title="东门加装路灯").proposer_id == users.resident.pk
    page.context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_secretary_holds_a_meeting_and_the_case_moves(
    live_server: Any, browser: Any, city: Any, users: Any, screenshot_dir: Path
) -> None:
    council = make_council(city.comm_a1.code, members=5)
    case = council_case(users.worker)
    events = CaseEvent.objects.filter(case=case).count()
    page = _page(browser, LAPTOP)
    browser_sign_in(page, live_server, "secretary", "pw-secretary")
    page.goto(f"{live_server.url}/councils/{council.pk}/")
    page.fill("#id_held_at", "2026-12-01T10:00")
    page.fill("#id_place", "社区议事厅")
    page.get_by_role("button", name="创建会议").click()
    expect(page.locator("#meeting-status")).to_have_text("筹备中")
    page.locator("#candidates").get_by_role("button", name="列入议程").first.click()
    expect(page.locator("#agenda .agenda-item")).to_have_count(1)
    boxes = page.locator("#attendance input[type=checkbox]")
    for n in range(3):
        boxes.nth(n).check()
    page.get_by_role("button", name="保存出席").click()
    expect(page.locator("#attendance h2")).to_contain_text("3 / 5")
    page.get_by_role("button", name="开始会议").click()
    expect(page.locator("#meeting-status")).to_have_text("会议进行中")
    for done in range(1, 4):
        page.locator(".vote-form .vote-for").first.click()
        expect(page.locator(".t-for")).to_have_text(str(done))
    page.screenshot(path=str(screenshot_dir / "meeting_voted_laptop.png"), full_page=True)
    form = page.locator(".resolve-form")
    form.locator("select[name=decision]").select_option("resolved")
    form.locator("textarea[name=text]").fill("经协商由物业两周内清理")
    form.locator("input[name=responsible]").fill("李主任")
    form.locator("input[name=due_on]").fill("2026-12-15")
    form.get_by_role("button", name="形成决议").click()
    expect(page.locator(".resolution")).to_contain_text("议事会协商解决")
    page.screenshot(path=str(screenshot_dir / "meeting_resolved_laptop.png"), full_page=True)
    case.refresh_from_db()
    assert case.status == CaseStatus.TO_VERIFY
    assert CaseEvent.objects.filter(case=case).count() == events + 1
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(screenshot_dir / "meeting_resolved_phone.png"), full_page=True)
    page.context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_long_unbroken_title_wraps_on_a_phone(
    live_server: Any, browser: Any, city: Any, users: Any, screenshot_dir: Path
) -> None:
    make_council(city.comm_a1.code, threshold=2)
    set_community(users.resident, city.comm_a1.code)
    title = '<img src=x onerror=alert(1)>=HYPERLINK("http://x","y")'
    proposal = make_proposal(users.resident, city.comm_a1.code, title=title)
    page = _page(browser, PHONE)
    browser_sign_in(page, live_server, "resident", "pw-resident")
    for path in (f"/councils/proposals/{proposal.pk}/", "/councils/proposals/"):
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_text(title).first).to_be_visible()
        assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(screenshot_dir / "proposal_long_title_phone.png"), full_page=True)
    page.context.close()
