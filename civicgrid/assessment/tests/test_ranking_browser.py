"""The ranking page in a desktop browser: level tabs, grades coloured, a figure opens the
cases behind it. The screenshot is looked at by the person changing the page."""

import importlib
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from playwright.sync_api import expect

from civicgrid.accounts.choices import Role
from civicgrid.assessment.models import Indicator
from civicgrid.assessment.rollup import rollup
from civicgrid.assessment.tests.history import DAY, at, event, handled_case, new_case
from civicgrid.cases.choices import Action, CaseStatus, Stage
from civicgrid.testing.browser import browser_login
from civicgrid.testing.users import make_user

# The assessment data migrations, in order: the seed and each later change to it.
SEED_MIGRATIONS = (
    ("0002_seed_indicators_weights_grades", "seed"),
    ("0003_dispose_and_close_rates_by_cohort", "forwards"),
    ("0005_confirm_on_time_rate_counted", "forwards"),
    ("0007_visit_rate_counted", "forwards"),
)


def ensure_indicator_seeds() -> None:
    """A transactional test flushes the data migrations' rows; put them back as every data
    migration left them (replaying only the first seed would give other weights, and grades
    that depend on which test ran before)."""
    if Indicator.objects.exists():
        return
    # The data migrations read the alias from their schema editor: the test database's.
    editor = SimpleNamespace(connection=connection)
    for module, function in SEED_MIGRATIONS:
        migration = importlib.import_module(f"civicgrid.assessment.migrations.{module}")
        getattr(migration, function)(apps, editor)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_ranking_page(
    live_server: Any, browser: Any, city: Any, users: Any, screenshot_dir: Path
) -> None:
    ensure_indicator_seeds()
    east = make_user("worker_east", Role.GRID_WORKER, city.grids["a1_east"].code)
    kw = dict(
        desk=users.secretary, command=users.command, handler=users.department, dept=users.dept
    )
    last_month = (DAY.replace(day=1) - timedelta(days=1)).replace(day=5)
    for day in (last_month, DAY):
        for _n in range(3):
            handled_case(
                city.grids["a1_west"].code, reporter=users.worker, checker=east, day=day, **kw
            )
        handled_case(
            city.grids["a1_east"].code,
            reporter=east,
            checker=users.worker,
            fed_back_on_time=False,
            day=day,
            **kw,
        )
        for n in range(2):  # east's grid: a voided report and two missed ones
            case = new_case(city.grids["a1_east"].code, when=at(day, 9 + n))
            event(
                case,
                Action.REPORT,
                at(day, 9 + n),
                actor=east if n == 0 else users.resident,
                to_status=CaseStatus.REPORTED,
            )
            if n == 0:
                event(
                    case,
                    Action.VOID,
                    at(day, 12),
                    actor=users.secretary,
                    to_status=CaseStatus.VOIDED,
                    stage=Stage.ACCEPT,
                )
        case = new_case(city.grids["a1_east"].code, when=at(day, 15))
        event(case, Action.REPORT, at(day, 15), actor=users.resident, to_status=CaseStatus.REPORTED)
    rollup(last_month.replace(day=1), DAY)

    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    browser_login(page, live_server, "command", "pw-command")
    page.goto(f"{live_server.url}/assessment/?period={DAY:%Y-%m}&level=worker")
    table = page.locator("#ranking")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table.locator("tbody tr").first).to_contain_text("worker")
    # worker: 有效上报率 100, 漏报率 0, 按时核实率 0/3 (east checked its cases), 按时核查率 100:
    # 40 + 20 + 0 + 20 = 80 (B); east: 20 + 10 + 0 + 20 = 50 (D).
    expect(table.locator(".as-grade.grade-b")).to_have_count(1)
    expect(table.locator(".as-grade.grade-d")).to_have_count(1)
    page.screenshot(path=str(screenshot_dir / "ranking-workers.png"), full_page=True)
    # Exact names: "text=网格" would also match the 网格员 tab, which comes first. Each tab is a
    # page of its own; wait for it to be the current one before reading its rows (both levels
    # have two rows, so the count alone could be read on the page being left).
    tabs = page.locator("nav.as-tabs")
    tabs.get_by_role("link", name="网格", exact=True).click()
    expect(tabs.locator("[aria-current=page]")).to_have_text("网格")
    expect(table.locator("tbody tr")).to_have_count(2)
    page.screenshot(path=str(screenshot_dir / "ranking-grids.png"), full_page=True)
    tabs.get_by_role("link", name="网格员", exact=True).click()
    expect(tabs.locator("[aria-current=page]")).to_have_text("网格员")
    table.locator("tbody tr").nth(1).locator("a").first.click()
    expect(page.locator("#drill-cases tbody tr")).not_to_have_count(0)
    page.screenshot(path=str(screenshot_dir / "ranking-drill.png"), full_page=True)
    context.close()
