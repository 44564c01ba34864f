"""The key offline scenario on a 360×740 phone: the grid worker opens the app (the service worker
takes the field pages), starts a patrol along a street, loses the network, opens 拍照上报 from
the cache, files a photo report and a household visit while offline, sees both waiting in
待同步, gets the network back and sees them sent: one case, one visit, every track point once."""

import io
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from civicgrid.cases.choices import Channel
from civicgrid.cases.models import Case, CasePhoto
from civicgrid.fieldwork.models import Patrol, TrackPoint, Visit
from civicgrid.fieldwork.tests.visit_page_helpers import due_person
from civicgrid.testing.browser import browser_login
from civicgrid.testing.case_pages import ensure_seeded_categories
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers

PHONE = {"width": 360, "height": 740}
WAIT = 20_000
# North along a street inside grid a1_west, about 55 m a step.
WALK = [(26.5020 + i * 0.0005, 106.7040) for i in range(6)]


@pytest.fixture(autouse=True)
def _categories(transactional_db: Any) -> None:
    ensure_seeded_categories()


def _move(context: Any, lat: float, lng: float) -> None:
    context.set_geolocation({"latitude": lat, "longitude": lng, "accuracy": 8})


def _jpeg(path: Path) -> Path:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), "#6d8a96").save(buffer, "JPEG", quality=80)
    path.write_bytes(buffer.getvalue())
    return path


def _fits(page: Any) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_report_and_visit_filed_offline_are_sent_once_when_back_online(
    live_server: Any, browser: Any, city: TestCity, users: RoleUsers, screenshot_dir: Path
) -> None:
    person = due_person(city.grids["a1_west"], "独居老人甲", tagged_days_ago=30)
    context = browser.new_context(
        locale="zh-CN",
        viewport=PHONE,
        geolocation={"latitude": WALK[0][0], "longitude": WALK[0][1], "accuracy": 8},
        service_workers="allow",
    )
    context.grant_permissions(["geolocation"], origin=live_server.url)
    page = context.new_page()
    page.set_default_timeout(WAIT)
    browser_login(page, live_server, "worker", "pw-worker")

    # The home screen; the service worker installs and precaches the field pages.
    page.goto(f"{live_server.url}/fieldwork/")
    expect(page.locator("#outbox")).to_have_attribute("data-sw-ready", "1", timeout=WAIT)
    expect(page.locator("#sw-state")).to_have_attribute("data-ready", "1", timeout=WAIT)
    expect(page.locator("#tile-report")).to_be_visible()
    _fits(page)
    page.screenshot(path=str(screenshot_dir / "1-home-online.png"), full_page=True)

    # The visit form for the person due a visit is opened once online (from the due list).
    visit_url = f"{live_server.url}/fieldwork/visits/new/?person={person.pk}"
    page.goto(visit_url)
    expect(page.locator("#visit-form")).to_be_visible()

    # A patrol along the street.
    page.goto(f"{live_server.url}/fieldwork/")
    page.click("#tile-patrol")
    page.click("#start-patrol")
    expect(page.locator("#state-running")).to_be_visible(timeout=WAIT)
    expect(page.locator("#sent")).to_have_text("1", timeout=WAIT)
    for step, (lat, lng) in enumerate(WALK[1:3], start=2):
        _move(context, lat, lng)
        expect(page.locator("#sent")).to_have_text(str(step), timeout=WAIT)
    patrol = Patrol.objects.get(worker=users.worker)

    # The network goes: fixes wait on the phone.
    context.set_offline(True)
    # One fix at a time: a browser may deliver only the last of two positions set at once.
    for waiting, (lat, lng) in enumerate(WALK[3:6], start=1):
        _move(context, lat, lng)
        expect(page.locator("#waiting")).to_have_text(str(waiting), timeout=WAIT)
    page.screenshot(path=str(screenshot_dir / "2-patrol-offline.png"), full_page=True)

    # 拍照上报 opens from the cache, and the report waits in 待同步.
    page.goto(f"{live_server.url}/fieldwork/report/")
    expect(page.locator("h1")).to_have_text("拍照上报")
    expect(page.locator("#quick-report")).to_have_attribute("data-fix", "1", timeout=WAIT)
    page.set_input_files("#report-photo", str(_jpeg(screenshot_dir / "scene.jpg")))
    expect(page.locator("#quick-report")).to_have_attribute("data-photos", "1", timeout=WAIT)
    page.select_option("#quick-report select[name=category]", label="0102 暴露垃圾")
    page.fill("#quick-report textarea[name=description]", "地下车库垃圾堆放,无人清运")
    _fits(page)
    page.screenshot(path=str(screenshot_dir / "3-report-filled-offline.png"), full_page=True)
    page.click("#report-send")
    expect(page.locator("#report-result")).to_contain_text("待同步", timeout=WAIT)
    expect(page.locator("#outbox-count")).to_have_text("1", timeout=WAIT)
    page.click("#outbox summary")
    expect(page.locator("#outbox-list .fw-outbox-item[data-kind=report]")).to_contain_text(
        "等待发送"
    )
    expect(page.locator("#outbox-list .fw-outbox-item[data-kind=track]")).to_contain_text("3")
    page.screenshot(path=str(screenshot_dir / "4-report-waiting.png"), full_page=True)
    assert not Case.objects.exists()

    # A visit typed offline too.
    page.goto(visit_url)
    page.select_option("#id_purpose", "care")
    page.fill("#id_findings", "老人身体尚好,独自在家,已提醒注意用电安全")
    page.click("#visit-form button[type=submit]")
    expect(page.locator("#visit-form [data-outbox-result]")).to_contain_text("待同步", timeout=WAIT)
    expect(page.locator("#outbox-count")).to_have_text("2", timeout=WAIT)
    page.click("#outbox summary")
    page.screenshot(path=str(screenshot_dir / "5-visit-waiting.png"), full_page=True)
    assert not Visit.objects.exists()

    # The network is back: everything goes up, once.
    context.set_offline(False)
    expect(page.locator("#outbox-count")).to_have_text("0", timeout=WAIT)
    expect(page.locator("#outbox")).to_have_attribute("data-points", "0", timeout=WAIT)
    expect(page.locator("#outbox-empty")).to_be_visible()
    expect(page.locator("#visit-form [data-outbox-result]")).to_contain_text("已同步")
    page.screenshot(path=str(screenshot_dir / "6-all-synced.png"), full_page=True)

    case = Case.objects.get()
    assert case.description == "地下车库垃圾堆放,无人清运"
    assert case.channel == Channel.GRID_WORKER
    assert case.grid_code == city.grids["a1_west"].code
    assert CasePhoto.objects.filter(case=case).count() == 1
    visit = Visit.objects.get()
    assert visit.person_id == person.pk
    assert visit.worker_id == users.worker.pk
    assert visit.visited_at <= timezone.now()
    assert TrackPoint.objects.filter(patrol=patrol).count() == len(WALK)

    # The service worker kept the shell and pages, never an API answer.
    kept = page.evaluate(
        """async () => {
            const urls = [];
            for (const name of await caches.keys()) {
                for (const request of await (await caches.open(name)).keys()) urls.push(request.url);
            }
            return urls;
        }"""
    )
    assert any(url.endswith("/fieldwork/report/") for url in kept)
    assert any("/static/js/fieldwork_outbox.js" in url for url in kept)
    assert not [url for url in kept if "/api/" in url]

    # Resending (the phone never heard the answers) changes nothing.
    page.reload()
    page.evaluate("() => window.CivicOutbox.flush()")
    expect(page.locator("#outbox-count")).to_have_text("0")
    assert Case.objects.count() == 1 and Visit.objects.count() == 1
    context.close()
