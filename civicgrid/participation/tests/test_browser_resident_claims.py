"""In a browser: the community secretary opens 居民社区确认, confirms one resident's claim and
rejects another's with a reason; the rejected resident is told on the proposals page and may
choose again. The early-close warning of a council meeting is shown too."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from civicgrid.accounts.choices import Role
from civicgrid.participation import residents
from civicgrid.participation.choices import ClaimStatus
from civicgrid.participation.councils.choices import MeetingStatus
from civicgrid.participation.councils.testing import make_council, make_meeting
from civicgrid.participation.models import ResidentCommunity
from civicgrid.testing.case_pages import browser_sign_in
from civicgrid.testing.users import make_user

PASSWORD = "Test-pass-123"


def _page(browser: Any, width: int) -> Any:
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _user(name: str, role: str, *codes: str) -> Any:
    user = make_user(name, role, *codes)  # type: ignore[arg-type]
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_secretary_confirms_and_rejects(
    live_server: Any, browser: Any, city: Any, screenshot_dir: Path
) -> None:
    secretary = _user("sec_claims", Role.SECRETARY, city.comm_a1.code)
    alice = _user("res_alice", Role.RESIDENT)
    bob = _user("res_bob", Role.RESIDENT)
    for person in (alice, bob):
        residents.community_choose(actor=person, code=city.comm_a1.code)
    a = ResidentCommunity.objects.get(user=alice)
    b = ResidentCommunity.objects.get(user=bob)

    page = _page(browser, 1280)
    browser_sign_in(page, live_server, secretary.username, PASSWORD)
    page.goto(f"{live_server.url}/community/manage/residents/")
    expect(page.locator(f"#claim-{a.pk}")).to_contain_text("待确认")
    expect(page.locator(f"#claim-{b.pk}")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "resident_claims_pending.png"), full_page=True)
    page.locator(f"#claim-{a.pk} button[value=confirm]").click()
    expect(page.locator(f"#claim-{a.pk}")).to_have_count(0)
    page.locator(f"#claim-{b.pk} input[name=reason]").fill("查无此户")
    page.locator(f"#claim-{b.pk} button[value=reject]").click()
    expect(page.locator(f"#claim-{b.pk}")).to_have_count(0)
    page.goto(f"{live_server.url}/community/manage/residents/?status=rejected")
    expect(page.locator(f"#claim-{b.pk}")).to_contain_text("查无此户")
    page.screenshot(path=str(screenshot_dir / "resident_claims_rejected.png"), full_page=True)
    a.refresh_from_db()
    assert a.status == ClaimStatus.CONFIRMED

    phone = _page(browser, 390)
    browser_sign_in(phone, live_server, bob.username, PASSWORD)
    phone.goto(f"{live_server.url}/councils/proposals/")
    expect(phone.locator("#claim-rejected")).to_contain_text("查无此户")
    phone.screenshot(path=str(screenshot_dir / "resident_claim_rejected_phone.png"), full_page=True)
    page.context.close()
    phone.context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_early_close_asks_for_a_reason(
    live_server: Any, browser: Any, city: Any, screenshot_dir: Path
) -> None:
    secretary = _user("sec_close", Role.SECRETARY, city.comm_a1.code)
    meeting = make_meeting(
        make_council(city.comm_a1.code), secretary, status=MeetingStatus.CONVENED
    )
    page = _page(browser, 1280)
    browser_sign_in(page, live_server, secretary.username, PASSWORD)
    page.goto(f"{live_server.url}/councils/meetings/{meeting.pk}/")
    expect(page.locator("#close-early-warning")).to_contain_text("尚未到时间")
    page.locator("#close-form input[name=reason]").fill("议程已提前议完")
    page.screenshot(path=str(screenshot_dir / "meeting_close_early.png"), full_page=True)
    page.locator("#close-form button[type=submit]").click()
    expect(page.locator("#early-close-reason")).to_contain_text("议程已提前议完")
    expect(page.locator("#meeting-status")).to_contain_text("已闭会")
    page.context.close()
