"""On a 360 px phone the grid worker walks a patrol with a simulated GPS: points go up in
batches, wait on the phone while the network is down and follow when it returns, and the end
shows the patrol's figures. The command centre then finds the track on the on-duty map and
replays it (the look is audited)."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from civicgrid.core.models import AuditEntry
from civicgrid.fieldwork.models import Patrol, PatrolFinding, TrackPoint
from civicgrid.fieldwork.tests.page_helpers import make_patrol
from civicgrid.testing.browser import browser_login, follow_menu
from civicgrid.testing.case_pages import ensure_seeded_categories
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers

PHONE = {"width": 360, "height": 740}
# Fixes and uploads ride on timers and network events: give them longer than expect's 5 s.
WAIT = 15_000
DESK = {"width": 1280, "height": 860}
# A walk north along a street inside grid a1_west, about 55 m a step.
WALK = [(26.5020 + i * 0.0005, 106.7040) for i in range(8)]


@pytest.fixture(autouse=True)
def _categories(transactional_db: Any) -> None:
    ensure_seeded_categories()


def _move(context: Any, lat: float, lng: float) -> None:
    context.set_geolocation({"latitude": lat, "longitude": lng, "accuracy": 8})


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_worker_patrols_on_a_phone_through_a_network_drop(
    live_server: Any, browser: Any, city: TestCity, users: RoleUsers, screenshot_dir: Path
) -> None:
    context = browser.new_context(
        locale="zh-CN",
        viewport=PHONE,
        geolocation={"latitude": WALK[0][0], "longitude": WALK[0][1], "accuracy": 8},
    )
    context.grant_permissions(["geolocation"], origin=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    browser_login(page, live_server, "worker", "pw-worker")
    page.goto(f"{live_server.url}/fieldwork/patrol/")
    page.click("#start-patrol")
    expect(page.locator("#state-running")).to_be_visible(timeout=WAIT)
    expect(page.locator("#end-patrol")).to_be_visible(timeout=WAIT)
    expect(page.locator("#sent")).to_have_text("1", timeout=WAIT)
    expect(page.locator("#patrol-grid")).to_have_text(city.grids["a1_west"].name, timeout=WAIT)
    patrol = Patrol.objects.get(worker=users.worker)
    assert patrol.ended_at is None

    for step, (lat, lng) in enumerate(WALK[1:4], start=2):
        _move(context, lat, lng)
        expect(page.locator("#sent")).to_have_text(str(step), timeout=WAIT)
    expect(page.locator("#distance")).not_to_have_text("0", timeout=WAIT)
    page.screenshot(path=str(screenshot_dir / "1-patrol-running-phone.png"), full_page=True)

    # The network drops: the fixes wait on the phone, and the page says so.
    context.set_offline(True)
    # One fix at a time: a browser may deliver only the last of two positions set at once.
    for waiting, (lat, lng) in enumerate(WALK[4:6], start=1):
        _move(context, lat, lng)
        expect(page.locator("#waiting")).to_have_text(str(waiting), timeout=WAIT)
    expect(page.locator("#patrol-message")).to_contain_text("网络中断", timeout=WAIT)
    page.screenshot(path=str(screenshot_dir / "2-patrol-offline-phone.png"), full_page=True)
    assert TrackPoint.objects.filter(patrol=patrol).count() == 4

    # Back online: the waiting fixes follow, once each.
    context.set_offline(False)
    expect(page.locator("#waiting")).to_have_text("0", timeout=WAIT)
    expect(page.locator("#sent")).to_have_text("6", timeout=WAIT)

    # The server cannot be reached and the page is reloaded: the waiting fix is kept on the
    # phone and sent once the page is back.
    page.route("**/points", lambda route: route.abort())
    _move(context, *WALK[6])
    expect(page.locator("#waiting")).to_have_text("1", timeout=WAIT)
    page.unroute("**/points")
    page.reload()
    expect(page.locator("#state-running")).to_be_visible(timeout=WAIT)
    expect(page.locator("#waiting")).to_have_text("0", timeout=WAIT)
    expect(page.locator("#sent")).to_have_text("7", timeout=WAIT)
    assert TrackPoint.objects.filter(patrol=patrol).count() == 7

    # A problem found on the way: reported from the patrol page, which keeps the patrol going.
    page.click("#open-report")
    page.fill("#report-form textarea[name=description]", "路口垃圾桶满溢,垃圾散落")
    page.select_option("#report-form select[name=category]", label="0102 暴露垃圾")
    page.screenshot(path=str(screenshot_dir / "3-patrol-report-phone.png"), full_page=True)
    page.click("#report-form button[type=submit]")
    expect(page.locator(".messages .msg-success")).to_contain_text("已上报", timeout=WAIT)
    expect(page.locator("#state-running")).to_be_visible(timeout=WAIT)
    finding = PatrolFinding.objects.get(patrol=patrol)
    assert finding.case.lat == pytest.approx(WALK[6][0])

    page.click("#end-patrol")
    page.wait_for_url(f"{live_server.url}/fieldwork/patrols/{patrol.pk}/")
    expect(page.locator("#patrol-figures [data-figure=points]")).to_have_text("7", timeout=WAIT)
    expect(page.locator("#track-map")).to_have_attribute("data-loaded", "7", timeout=WAIT)
    page.screenshot(path=str(screenshot_dir / "4-patrol-ended-phone.png"), full_page=True)
    patrol.refresh_from_db()
    assert patrol.ended_at is not None
    assert patrol.point_count == 7
    assert patrol.distance_m > 250
    # Nothing is left waiting on the phone for the next patrol.
    assert (
        page.evaluate(
            "() => Object.keys(localStorage).filter((k) => k.startsWith('civicgrid.patrol')).length"
        )
        == 0
    )
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_command_sees_and_replays_a_track_on_the_onduty_map(
    live_server: Any, browser: Any, city: TestCity, users: RoleUsers, screenshot_dir: Path
) -> None:
    # Today in local time, whatever the hour the test runs at.
    midnight = timezone.localtime().replace(hour=0, minute=1, second=0, microsecond=0)
    start = max(midnight, timezone.now().replace(microsecond=0) - timedelta(minutes=45))
    patrol = make_patrol(users.worker, city.grids["a1_west"], start=start, minutes=40, points=12)
    context = browser.new_context(locale="zh-CN", viewport=DESK, timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.set_default_timeout(15_000)
    browser_login(page, live_server, "command", "pw-command")
    last = TrackPoint.objects.filter(patrol=patrol).order_by("-at").first()
    assert last is not None
    follow_menu(page, "在岗地图")
    expect(page.locator("#onduty-map")).to_have_attribute("data-loaded", "1", timeout=WAIT)
    expect(page.locator("#onduty-map")).to_have_attribute("data-tracks", "1", timeout=WAIT)
    expect(page.locator("#onduty-list")).to_contain_text("worker", timeout=WAIT)
    # The worker's last position carries the time of the last fix.
    expect(page.locator("#onduty-list")).to_contain_text(
        timezone.localtime(last.at).strftime("%H:%M:%S"), timeout=WAIT
    )
    page.click(f"#onduty-list button[data-patrol='{patrol.pk}']")
    expect(page.locator("#replay")).to_be_visible(timeout=WAIT)
    expect(page.locator("#replay")).to_have_attribute("data-patrol", str(patrol.pk), timeout=WAIT)
    first = page.inner_text("#replay-time")
    slider = page.locator("#replay-slider")
    slider.focus()
    for _ in range(6):
        slider.press("ArrowRight")
    expect(page.locator("#replay")).to_have_attribute("data-index", "6", timeout=WAIT)
    assert page.inner_text("#replay-time") != first
    page.screenshot(path=str(screenshot_dir / "onduty-replay-desk.png"), full_page=True)
    assert AuditEntry.objects.filter(action="track_view", actor=users.command).exists()
    context.close()
