"""The API's Swagger page keeps working under the Content-Security-Policy: ninja serves Swagger
UI from static files with its settings in a JSON data block, so no relaxation is needed."""

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from civicgrid.testing.browser import browser_login
from civicgrid.testing.users import RoleUsers

WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push({directive: e.effectiveDirective, blocked: e.blockedURI});
});
"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_swagger_page_renders_every_operation_without_a_policy_violation(
    live_server: Any, page: Any, users: RoleUsers, screenshot_dir: Path
) -> None:
    page.add_init_script(WATCH)
    browser_login(page, live_server, "command", "pw-command")
    response = page.goto(f"{live_server.url}/api/v1/docs")
    assert (
        response is not None and "script-src 'self'" in response.headers["content-security-policy"]
    )
    # The whole API is a large document: Swagger UI takes a while to lay it out on a busy machine.
    page.locator(".swagger-ui .opblock").first.wait_for(timeout=60_000)
    # At least five geo operations: wait for the fifth rather than count what is there so far.
    geo = page.locator(".swagger-ui .opblock-summary-path[data-path*='/geo/']")
    expect(geo.nth(4)).to_be_attached()
    page.screenshot(path=str(screenshot_dir / "swagger.png"))
    assert page.evaluate("window.__violations") == []
