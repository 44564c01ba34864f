"""A community cadre on a 390 px phone opens a published activity, edits it (more places, a
new place) and sees the change on the activity's page; the form fits the screen."""

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from civicgrid.participation.volunteers.testing import make_activity, make_team

PHONE = {"width": 390, "height": 844}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_cadre_edits_an_activity_on_the_phone(
    live_server: Any, browser: Any, city: Any, users: Any, screenshot_dir: Path
) -> None:
    team = make_team(city.comm_a1, "环保志愿队")
    activity = make_activity(team, users.cadre, title="周末河道清洁行动", places=3)

    context = browser.new_context(locale="zh-CN", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(
        f"{live_server.url}/accounts/login/?next=/volunteers/manage/activities/{activity.pk}/"
    )
    page.fill("#id_username", "cadre")
    page.fill("#id_password", "pw-cadre")
    page.click("button[type=submit]")
    page.get_by_role("link", name="修改活动").click()
    expect(page.locator("#id_title")).to_have_value("周末河道清洁行动")
    page.fill("#id_places", "6")
    page.fill("#id_place", "南明河滨步道")
    page.screenshot(path=str(screenshot_dir / "volunteers_edit_phone.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    page.get_by_role("button", name="保存修改").click()
    # A busy machine may take a while to answer the post: wait for the saved page first.
    expect(page.locator(".messages")).to_contain_text("活动已修改", timeout=20_000)
    page.screenshot(path=str(screenshot_dir / "volunteers_edit_saved_phone.png"), full_page=True)
    expect(page.locator(".vol-facts")).to_contain_text("南明河滨步道")
    expect(page.locator(".vol-facts")).to_contain_text("已报名 0 / 6")
    context.close()
