import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

from civicgrid.geo.index import reset_index
from civicgrid.testing.city import TestCity, build_test_city
from civicgrid.testing.users import RoleUsers, build_role_users

# Hypothesis fails an example that runs over 200 ms by default: a timing assertion, which a
# loaded two-core machine trips (a cold first example under xdist). Tests never assert
# timings; the benchmarks measure them.
hypothesis_settings.register_profile("civicgrid", deadline=None)
hypothesis_settings.load_profile("civicgrid")


@pytest.fixture(autouse=True)
def _fresh_grid_index() -> Iterator[None]:
    # Each test's transaction is rolled back, so the version counter can repeat with other
    # grids behind it: never let a tree outlive its test.
    reset_index()
    yield
    reset_index()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    # A request with an English cookie activates English for the whole thread; without this
    # a later test would see English messages depending on the order tests run in.
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    # Throttle counters live in the cache: one test's attempts must not count against another's.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def city(db: Any) -> TestCity:
    return build_test_city()


@pytest.fixture
def users(city: TestCity) -> RoleUsers:
    return build_role_users(city)


def _steady_screenshots() -> None:
    """Chromium now and then refuses a capture right after a navigation ("Unable to capture
    screenshot"): let the page settle and try again rather than fail a test over its picture.
    Patched on the class so that pages a test opens in its own context are covered too."""
    from playwright.sync_api import Error, Page

    capture = Page.screenshot
    if getattr(capture, "steady", False):
        return

    def screenshot(self: Any, **kwargs: Any) -> bytes:
        for attempt in range(4):
            try:
                return capture(self, **kwargs)
            except Error as error:
                if "capture screenshot" not in str(error) or attempt == 3:
                    raise
                self.wait_for_load_state("load")
                self.wait_for_timeout(250 * (attempt + 1))
        raise AssertionError("unreachable")

    screenshot.steady = True  # type: ignore[attr-defined]
    Page.screenshot = screenshot  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright; never a downloaded browser build."""
    from playwright.sync_api import expect, sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    _steady_screenshots()
    # expect() waits 5 s unless told otherwise, a third of what actions get (15 s, below): on
    # a machine busy with other work a fetch or an htmx swap can take longer than that, and a
    # test that waits correctly would still fail. One patience for both.
    expect.set_options(timeout=15_000)
    executable = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=executable,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 860})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def screenshot_dir(request: pytest.FixtureRequest) -> Path:
    """Where a browser test saves what it saw: test-output/<test name>/."""
    path = Path(__file__).parent / "test-output" / request.node.name
    path.mkdir(parents=True, exist_ok=True)
    return path
