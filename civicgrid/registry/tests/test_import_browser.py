from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from civicgrid.registry.models import Person
from civicgrid.registry.tests.factories import resident_id
from civicgrid.testing.browser import browser_login
from civicgrid.testing.city import TestCity
from civicgrid.testing.ledger_files import xlsx_file
from civicgrid.testing.users import RoleUsers


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_grid_worker_uploads_people_and_gets_the_error_report(
    live_server: Any,
    page: Any,
    city: TestCity,
    users: RoleUsers,
    screenshot_dir: Path,
    tmp_path: Path,
    settings: Any,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    west = city.grids["a1_west"].code
    rows = [
        ["张三", resident_id(), west, "2024年1月5日"],
        ["李四", resident_id(), west, "2024-02-30"],
    ]
    path = xlsx_file(tmp_path / "人口.xlsx", ["姓名", "身份证号", "网格编码", "迁入日期"], rows)
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, live_server, "worker", "pw-worker")

    page.goto(f"{live_server.url}/registry/io/")
    page.click("a[href='/registry/io/import/person/']")
    page.set_input_files("input[type=file]", str(path))
    page.screenshot(path=str(screenshot_dir / "upload.png"), full_page=True)
    page.click("text=开始导入")

    # The progress box is swapped by htmx every second until the import ends.
    summary = page.locator(".job-summary")
    expect(summary).to_contain_text("新增 1 条")
    expect(summary).to_contain_text("有错误 1 行")
    expect(page.locator("#job-progress table")).to_contain_text("日期不存在")
    page.screenshot(path=str(screenshot_dir / "done.png"), full_page=True)
    with page.expect_download() as download:
        page.click("text=下载错误明细")
    assert download.value.suggested_filename.endswith(".xlsx")
    assert list(Person.objects.values_list("name", flat=True)) == ["张三"]
