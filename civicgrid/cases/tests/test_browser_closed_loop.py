from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from civicgrid.cases.choices import Action, CaseStatus
from civicgrid.cases.models import Case, CaseEvent
from civicgrid.testing.browser import browser_login
from civicgrid.testing.case_pages import ensure_seeded_categories, png_bytes
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 860}


def open_as(browser: Any, live_server: Any, username: str, viewport: dict[str, int]) -> Any:
    context = browser.new_context(locale="zh-CN", viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15_000)
    browser_login(page, live_server, username, f"pw-{username}")
    return page


def act(page: Any, action: str, fill: dict[str, str] | None = None) -> None:
    """Open an action's form on the case page, fill it and submit."""
    box = f"details[data-action='{action}']"
    if not page.locator(box).evaluate("e => e.open"):
        page.click(f"{box} summary")
    for selector, value in (fill or {}).items():
        field = page.locator(f"{box} [name='{action}-{selector}']")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
    # The action posts the form and the case page comes back with a success message. The page
    # may still show the previous action's message: wait for the new page, not for the message.
    with page.expect_navigation():
        page.click(f"{box} button[type=submit]")
    expect(page.locator(".messages .msg-success")).to_be_visible()


@pytest.fixture(autouse=True)
def _categories(transactional_db: Any) -> None:
    ensure_seeded_categories()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_reported_case_goes_round_the_loop_and_closes(
    live_server: Any,
    browser: Any,
    city: TestCity,
    users: RoleUsers,
    screenshot_dir: Path,
) -> None:
    photo = screenshot_dir / "scene.png"
    photo.write_bytes(png_bytes())

    # The grid worker reports on a phone: words, a suggested category, a tap on the map, a photo.
    worker = open_as(browser, live_server, "worker", PHONE)
    worker.goto(f"{live_server.url}/cases/new/")
    worker.wait_for_selector("#pick-map[data-loaded='1']")
    worker.fill("textarea[name=description]", "小区门口垃圾桶满溢,垃圾散落一地")
    worker.click("#suggestions .chip >> text=暴露垃圾")
    worker.locator("#pick-map").click()
    expect(worker.locator("#locate-result")).to_contain_text("位于")
    expect(worker.locator("#locate-result")).to_contain_text(city.grids["a1_west"].name)
    worker.set_input_files("input[name=photos]", str(photo))
    worker.screenshot(path=str(screenshot_dir / "1-worker-intake-phone.png"), full_page=True)
    worker.click("form#intake-form button[type=submit]")
    worker.wait_for_selector("#case-status")
    case = Case.objects.get()
    assert case.category.code == "0102"
    assert case.photos.count() == 1
    expect(worker.locator(".photos img")).to_have_count(1)
    worker.screenshot(path=str(screenshot_dir / "2-worker-case-phone.png"), full_page=True)
    case_url = f"{live_server.url}/cases/{case.pk}/"

    # The community secretary accepts it and routes it up to the street.
    secretary = open_as(browser, live_server, "secretary", DESK)
    secretary.goto(case_url)
    act(secretary, Action.ACCEPT)
    act(secretary, Action.ROUTE, {"level": "上报街道"})
    expect(secretary.locator("#case-status")).to_have_text("待派遣")
    secretary.screenshot(path=str(screenshot_dir / "3-secretary-routed.png"), full_page=True)

    # The street command centre dispatches it to the department.
    command = open_as(browser, live_server, "command", DESK)
    command.goto(case_url)
    act(command, Action.DISPATCH, {"department": users.dept.name})

    # The department signs for it and feeds back with a photo.
    dept = open_as(browser, live_server, "dept", DESK)
    dept.goto(f"{live_server.url}/cases/work/?q=to_sign")
    dept.click(f"text={case.number}")
    act(dept, Action.SIGN_FOR)
    dept.click("details[data-action='feedback'] summary")
    dept.set_input_files(
        "details[data-action='feedback'] input[name='feedback-photos']", str(photo)
    )
    act(dept, Action.FEEDBACK, {"note": "已清运,垃圾桶已更换"})
    dept.screenshot(path=str(screenshot_dir / "4-department-fed-back.png"), full_page=True)

    # Back on the phone, the grid worker checks the spot and closes the case.
    worker.goto(f"{live_server.url}/cases/work/?q=to_verify")
    worker.click(f"text={case.number}")
    act(worker, Action.VERIFY, {"note": "现场已清理干净"})
    expect(worker.locator("#case-status")).to_have_text("已结案")
    worker.screenshot(path=str(screenshot_dir / "5-worker-closed-phone.png"), full_page=True)

    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    actions = list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))
    assert actions == ["report", "accept", "route", "dispatch", "sign_for", "feedback", "verify"]

    # The command centre's map shows the grid and no open case any more.
    command.goto(f"{live_server.url}/cases/list/")
    command.wait_for_selector("#cases-map[data-loaded='0']")
    command.screenshot(path=str(screenshot_dir / "6-command-list.png"), full_page=True)
    for page in (worker, secretary, command, dept):
        page.context.close()
