"""On a 360 px phone the grid worker opens a task, photographs an item and ticks it done; the
issuer's page then shows the grid's completion gone up (screenshots in test-output/)."""

from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import expect

from civicgrid.fieldwork.models import TaskItem
from civicgrid.fieldwork.tests.task_helpers import make_task
from civicgrid.testing.browser import browser_login
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers

PHONE = {"width": 360, "height": 740}
DESK = {"width": 1280, "height": 860}
WAIT = 15_000


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_worker_ticks_with_a_photo_and_the_issuer_sees_it(
    live_server: Any,
    browser: Any,
    city: TestCity,
    users: RoleUsers,
    screenshot_dir: Path,
    tmp_path: Path,
) -> None:
    west = city.grids["a1_west"]
    task = make_task(
        users.secretary,
        [west, city.grids["a1_east"]],
        items={west.code: ["todo", "todo"], city.grids["a1_east"].code: ["done"]},
        title="消防通道清理",
        instructions="清理楼道、消防通道堆放的杂物,拍照留存。",
        needs_photo=True,
    )
    photo = tmp_path / "scene.jpg"
    Image.new("RGB", (1200, 900), (180, 90, 40)).save(photo, "JPEG")

    desk = browser.new_context(locale="zh-CN", viewport=DESK)
    issuer = desk.new_page()
    issuer.set_default_timeout(WAIT)
    browser_login(issuer, live_server, "secretary", "pw-secretary")
    issuer.goto(f"{live_server.url}/fieldwork/tasks/{task.pk}/")
    row = issuer.locator(f"#grid-tally tr[data-grid='{west.code}']")
    expect(row.locator(".fw-tally-count")).to_have_text("0 / 2")

    phone = browser.new_context(locale="zh-CN", viewport=PHONE)
    page = phone.new_page()
    page.set_default_timeout(WAIT)
    browser_login(page, live_server, "worker", "pw-worker")
    page.goto(f"{live_server.url}/fieldwork/tasks/")
    page.get_by_role("link", name="消防通道清理").click()
    first = page.locator(".fw-item").first
    expect(first.locator(".fw-item-status")).to_have_text("待办")
    page.screenshot(path=str(screenshot_dir / "1-worker-task-phone.png"), full_page=True)

    # 完成 without the required photo: the server's Chinese reason is shown, nothing changes.
    first.get_by_role("button", name="完成").click()
    expect(page.locator("#task-message")).to_contain_text("照片")

    first.locator("input[type=file]").set_input_files(str(photo))
    first.get_by_role("button", name="完成").click()
    expect(first.locator(".fw-item-status")).to_have_text("已完成")
    expect(first.locator(".fw-item-done a")).to_have_text("照片")
    expect(page.locator("#my-done")).to_have_text("1")
    page.screenshot(path=str(screenshot_dir / "2-worker-ticked-phone.png"), full_page=True)
    item = TaskItem.objects.filter(task=task, grid_code=west.code, status="done").get()
    assert item.photo and item.done_by_id == users.worker.pk
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone ({width}px)"

    # The issuer's open page follows without a reload (it asks again when it comes to the front).
    issuer.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(row.locator(".fw-tally-count")).to_have_text("1 / 2")
    expect(issuer.locator("#total-count")).to_have_text("2 / 3")
    issuer.reload()
    expect(row.locator(".fw-tally-count")).to_have_text("1 / 2")
    expect(row.locator(".fw-tally-pct")).to_have_text("50%")
    expect(issuer.locator("#total-percent")).to_have_text("66%")
    issuer.screenshot(path=str(screenshot_dir / "3-issuer-completion-desk.png"), full_page=True)
    desk.close()
    phone.close()
