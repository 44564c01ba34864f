"""A resident on a 390 px phone finds a clean-up on their community's public page, signs in,
signs up (leaving a phone number the first time) and sees it in 我的报名 with a place fewer."""

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from civicgrid.participation.volunteers.models import Volunteer
from civicgrid.participation.volunteers.testing import make_activity, make_team

PHONE = {"width": 390, "height": 844}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_resident_signs_up_from_the_portal(
    live_server: Any, browser: Any, city: Any, users: Any, screenshot_dir: Path
) -> None:
    users.resident.full_name = "吴居民"
    users.resident.save()
    team = make_team(city.comm_a1, "环保志愿队")
    make_activity(team, users.cadre, title="周末河道清洁行动", places=3)

    context = browser.new_context(locale="zh-CN", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/community/{city.comm_a1.code}/")
    section = page.locator("#portal-volunteers")
    expect(section).to_contain_text("周末河道清洁行动")
    expect(section).to_contain_text("剩余 3 / 3 个名额")
    section.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "volunteers_portal_phone.png"), full_page=True)

    section.get_by_role("link", name="周末河道清洁行动").click()
    page.get_by_role("link", name="登录后报名").click()
    page.fill("#id_username", "resident")
    page.fill("#id_password", "pw-resident")
    page.click("button[type=submit]")
    expect(page.get_by_role("button", name="我要报名")).to_be_visible()
    page.fill("input[name=phone]", "13812345678")
    page.screenshot(path=str(screenshot_dir / "volunteers_activity_phone.png"), full_page=True)
    page.get_by_role("button", name="我要报名").click()

    expect(page.locator(".messages")).to_contain_text("报名成功")
    mine = page.locator("#mine")
    expect(mine).to_contain_text("周末河道清洁行动")
    expect(mine).to_contain_text("已报名")
    expect(page.locator("#upcoming")).to_contain_text("剩余 2 / 3 个名额")
    page.screenshot(path=str(screenshot_dir / "volunteers_mine_phone.png"), full_page=True)
    context.close()
    volunteer = Volunteer.objects.get(user=users.resident)
    assert volunteer.phone == "13812345678" and volunteer.community_code == city.comm_a1.code
