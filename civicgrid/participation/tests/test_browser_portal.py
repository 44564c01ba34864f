"""A visitor without an account, on a 360×740 phone: chooses their community (or lets the phone's
position find it), sees the grid worker's card and opens a notice."""

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from civicgrid.participation.testing import make_card, make_notice
from civicgrid.testing.cases import IN_A1_WEST

PHONE = {"width": 360, "height": 740}


def _phone(browser: Any, **options: Any) -> Any:
    context = browser.new_context(locale="zh-CN", viewport=PHONE, **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.fixture
def portal(transactional_db: Any, city: Any, users: Any) -> Any:
    users.worker.full_name = "王网格"
    users.worker.phone = "13900001111"
    users.worker.save()
    make_card(users.worker, phone="0851-85550001")
    return make_notice(
        users.secretary,
        city.comm_a1,
        title="冬季消防安全检查",
        body="本周起入户检查。\n<script>alert(1)</script>",
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_visitor_chooses_community_sees_card_and_opens_notice(
    live_server: Any, browser: Any, portal: Any, screenshot_dir: Path
) -> None:
    page = _phone(browser)
    page.goto(f"{live_server.url}/community/")
    page.get_by_text("甲街道", exact=True).click()
    page.screenshot(path=str(screenshot_dir / "portal_home_phone.png"), full_page=True)
    page.get_by_role("link", name="甲一社区").click()
    expect(page.locator("h1")).to_have_text("甲一社区")
    card = page.locator("#grid-520102001001001 .worker-card")
    expect(card).to_contain_text("王网格")
    expect(card).to_contain_text("0851-85550001")
    expect(page.locator("#portal-map")).to_have_attribute("data-loaded", "2")
    assert "13900001111" not in page.content()
    page.screenshot(path=str(screenshot_dir / "portal_community_phone.png"), full_page=True)
    page.get_by_role("link", name="冬季消防安全检查").click()
    expect(page.locator("#notice h1")).to_have_text("冬季消防安全检查")
    expect(page.locator(".notice-body")).to_contain_text("<script>alert(1)</script>")
    page.screenshot(path=str(screenshot_dir / "portal_notice_phone.png"), full_page=True)
    page.context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_visitor_found_by_position_sees_their_grid_worker(
    live_server: Any, browser: Any, portal: Any, screenshot_dir: Path
) -> None:
    page = _phone(
        browser,
        geolocation={"latitude": IN_A1_WEST[0], "longitude": IN_A1_WEST[1]},
        permissions=["geolocation"],
    )
    page.goto(f"{live_server.url}/community/")
    page.get_by_role("button", name="使用我的位置").click()
    expect(page.locator("h1")).to_have_text("甲一社区")
    chosen = page.locator(".grid-box.chosen")
    expect(chosen).to_have_attribute("data-grid", "520102001001001")
    expect(chosen.locator(".worker-card")).to_contain_text("0851-85550001")
    submit = page.locator("#portal-submit")
    expect(submit).to_have_attribute(
        "href", "/cases/submit/?community=520102001001&grid=520102001001001"
    )
    page.screenshot(path=str(screenshot_dir / "portal_located_phone.png"), full_page=True)
    page.context.close()
