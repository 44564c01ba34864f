from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from civicgrid.testing.browser import browser_login
from civicgrid.testing.case_pages import ensure_seeded_categories
from civicgrid.testing.cases import report_case
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers


@pytest.fixture(autouse=True)
def _categories(transactional_db: Any) -> None:
    ensure_seeded_categories()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_command_centre_opens_a_case_from_its_marker(
    live_server: Any, page: Any, city: TestCity, users: RoleUsers, screenshot_dir: Path
) -> None:
    case = report_case(users.worker, at=timezone.now() - timedelta(minutes=5))
    browser_login(page, live_server, "command", "pw-command")
    page.click("nav.mainnav >> text=事件列表")
    page.wait_for_selector("#cases-map[data-loaded='1']")
    page.screenshot(path=str(screenshot_dir / "command-map.png"), full_page=True)
    # Markers are the only shapes drawn with a white outline; grids have a dark one.
    page.locator("#cases-map path.leaflet-interactive[stroke='#fff']").click()
    page.wait_for_url(f"{live_server.url}/cases/{case.pk}/")
    assert page.inner_text("#case-status") == "待受理"
