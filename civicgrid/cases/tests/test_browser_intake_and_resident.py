from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from civicgrid.cases.choices import Action, CaseStatus, Channel, Satisfaction
from civicgrid.cases.models import Case, Category
from civicgrid.testing.browser import browser_login, follow_menu
from civicgrid.testing.case_pages import browser_sign_in, ensure_seeded_categories, walk
from civicgrid.testing.cases import IN_A1_WEST, report_case
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers

PHONE = {"width": 390, "height": 844}


def phone(browser: Any, **options: Any) -> Any:
    context = browser.new_context(locale="zh-CN", viewport=PHONE, **options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.fixture(autouse=True)
def _categories(transactional_db: Any) -> None:
    ensure_seeded_categories()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_worker_is_warned_of_an_open_case_at_the_same_spot(
    live_server: Any, browser: Any, city: TestCity, users: RoleUsers, screenshot_dir: Path
) -> None:
    earlier = report_case(users.worker, at=timezone.now() - timedelta(hours=1))
    page = phone(browser)
    browser_login(page, live_server, "worker", "pw-worker")
    page.goto(f"{live_server.url}/cases/new/")
    page.wait_for_selector("#pick-map[data-loaded='1']")
    page.select_option("select[name=category]", str(earlier.category_id))
    # The earlier case sits at the centre of grid a1_west, which is where the map centres.
    page.locator("#pick-map").click()
    # The warning comes from an htmx request after the tap.
    expect(page.locator("#duplicates .dup-warning")).to_contain_text(earlier.number)
    page.screenshot(path=str(screenshot_dir / "duplicate-warning-phone.png"), full_page=True)
    page.context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_resident_submits_on_a_phone_then_evaluates_and_reopens(
    live_server: Any, browser: Any, city: TestCity, users: RoleUsers, screenshot_dir: Path
) -> None:
    lat, lng = IN_A1_WEST
    page = phone(
        browser, geolocation={"latitude": lat, "longitude": lng}, permissions=["geolocation"]
    )
    browser_sign_in(page, live_server, "resident", "pw-resident")
    page.click("label.nav-burger")
    follow_menu(page, "我要反映")
    page.fill("textarea[name=description]", "楼道里堆了很多杂物,影响通行")
    clutter = Category.objects.get(name="楼道堆物")
    page.select_option("select[name=category]", str(clutter.pk))
    page.click("#use-position")
    page.wait_for_selector("#locate-result >> text=已取得当前位置")
    page.fill("input[name=address]", "甲一社区 3 栋 2 单元")
    page.screenshot(path=str(screenshot_dir / "resident-submit-phone.png"), full_page=True)
    with page.expect_navigation():
        page.click("form#intake-form button[type=submit]")
    expect(page.locator(".messages .msg-success")).to_be_visible()
    case = Case.objects.get()
    assert (case.channel, case.grid) == (Channel.RESIDENT, city.grids["a1_west"])
    expect(page.locator(".messages")).to_contain_text(case.number)

    walk(case, users, until=Action.VERIFY)
    page.reload()
    page.check("input[name='evaluate-satisfaction'][value='unsatisfied']")
    page.fill("textarea[name='evaluate-note']", "杂物只清走了一半")
    page.click("form[data-action='evaluate'] button[type=submit]")
    page.wait_for_selector("form[data-action='reopen']")
    page.fill("textarea[name='reopen-note']", "请再来看看")
    page.screenshot(path=str(screenshot_dir / "resident-reopen-phone.png"), full_page=True)
    # The page still shows the evaluation's success message: wait for the page the reopening
    # brings back before reading the database.
    with page.expect_navigation():
        page.click("form[data-action='reopen'] button[type=submit]")
    expect(page.locator(".messages .msg-success")).to_be_visible()
    case.refresh_from_db()
    assert (case.status, case.satisfaction) == (CaseStatus.ACCEPTED, "")
    assert case.events.filter(
        action=Action.EVALUATE, data__satisfaction=Satisfaction.UNSATISFIED
    ).exists()
    page.context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_intake_shown_again_with_an_error_redraws_the_map_with_the_chosen_pin(
    live_server: Any, browser: Any, city: TestCity, users: RoleUsers, screenshot_dir: Path
) -> None:
    page = phone(browser)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    browser_login(page, live_server, "worker", "pw-worker")
    page.goto(f"{live_server.url}/cases/new/")
    page.wait_for_selector("#pick-map[data-loaded='1']")
    expect(page.locator("#reporter-fields")).to_be_hidden()
    page.fill("textarea[name=description]", "路灯不亮")
    page.select_option("select[name=category]", str(Category.objects.get(code="0602").pk))
    page.locator("#pick-map").click()
    page.wait_for_selector("#locate-result >> text=位于")
    lat = page.input_value("input[name=lat]")
    page.set_input_files(
        "input[name=photos]",
        files=[{"name": "fake.jpg", "mimeType": "image/jpeg", "buffer": b"not an image"}],
    )
    page.click("form#intake-form button[type=submit]")
    page.wait_for_selector("#field-photos.has-error")

    page.wait_for_selector("#pick-map[data-loaded='1']")
    page.wait_for_selector("#pick-map .leaflet-marker-icon")
    expect(page.locator("#pick-map path.leaflet-interactive").first).to_be_attached()
    expect(page.locator("input[name=lat]")).to_have_value(lat)
    # The grid name arrives from the locate endpoint after the pin is drawn.
    page.wait_for_selector("#locate-result >> text=位于")
    expect(page.locator("#reporter-fields")).to_be_hidden()
    page.screenshot(path=str(screenshot_dir / "intake-error-map-phone.png"), full_page=True)
    assert errors == []
    page.context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_resident_gets_a_plain_suggested_category_chosen_for_them(
    live_server: Any, browser: Any, city: TestCity, users: RoleUsers, screenshot_dir: Path
) -> None:
    lamp = Category.objects.get(name="路灯不亮")
    page = phone(browser)
    browser_sign_in(page, live_server, "resident", "pw-resident")
    page.goto(f"{live_server.url}/cases/submit/")
    page.fill("textarea[name=description]", "小区门口的路灯不亮了,晚上很黑")
    chip = page.locator("#suggestions .chip", has_text="路灯不亮")
    expect(chip).to_have_text("路灯不亮")
    expect(page.locator("select[name=category]")).to_have_value(str(lamp.pk))
    page.screenshot(path=str(screenshot_dir / "resident-suggestion-phone.png"), full_page=True)
    # A tap on another suggestion chooses it instead.
    page.fill("textarea[name=description]", "路灯不亮,灯杆旁边的井盖也缺失了")
    other = page.locator("#suggestions .chip", has_text="井盖缺失破损")
    other.wait_for()
    other.click()
    expect(page.locator("select[name=category]")).to_have_value(
        str(Category.objects.get(name="井盖缺失破损").pk)
    )
    page.context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_caller_without_an_account_tracks_a_case_on_a_phone(
    live_server: Any, browser: Any, city: TestCity, users: RoleUsers, screenshot_dir: Path
) -> None:
    case = report_case(
        users.secretary, channel=Channel.HOTLINE, reporter_name="陈女士",
        reporter_phone="13607851234",
    )  # fmt: skip
    page = phone(browser)
    page.goto(f"{live_server.url}/cases/track/")
    page.fill("input[name=number]", case.number)
    page.fill("input[name=phone]", "136 0785 1234")
    page.click("form.track-form button[type=submit]")
    expect(page.locator("#track-result")).to_contain_text("待受理")
    assert "1234" not in page.url
    page.screenshot(path=str(screenshot_dir / "track-anonymous-phone.png"), full_page=True)
    page.context.close()
