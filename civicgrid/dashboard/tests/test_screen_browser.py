"""The command-centre screen in Chromium: the dark wall at 1920×1080 and the light desk layout,
each panel titled in Chinese with its chart drawn; a panel whose data fails says so alone."""

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from civicgrid.assessment.models import DailyFact
from civicgrid.assessment.rollup import summarise
from civicgrid.cases.choices import CaseStatus, Channel
from civicgrid.cases.models import Case
from civicgrid.dashboard import screen_views
from civicgrid.registry.choices import Sex
from civicgrid.registry.tests.factories import make_person
from civicgrid.testing.browser import browser_login
from civicgrid.testing.case_pages import ensure_seeded_categories
from civicgrid.testing.cases import case_category
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers

TITLES = [
    "今日事件",
    "网格巡查",
    "近30天上报与结案",
    "事件类别构成(近30天前10类)",
    "辖区网格态势",
    "超期事件督办榜",
    "部门按期处置率(近30天)",
    "考核排名",
    "人口结构",
]
CHARTS = [
    "chart-trend",
    "chart-categories",
    "chart-departments",
    "chart-pyramid",
    "chart-residency",
]


@pytest.fixture
def street(transactional_db: Any, city: TestCity, users: RoleUsers) -> None:
    ensure_seeded_categories()
    now = timezone.now()
    today = timezone.localdate()
    for i, key in enumerate(("a1_west", "a1_east", "a2", "a1_west")):
        Case.objects.create(
            number=f"520102001001-2026112{i}-000{i}",
            channel=Channel.GRID_WORKER,
            category=case_category(),
            description="测试事件",
            grid=city.grids[key],
            grid_code=city.grids[key].code,
            lat=26.505,
            lng=106.705 + 0.01 * (i % 3),
            status=CaseStatus.HANDLING,
            stage="handle",
            stage_started_at=now - timedelta(days=4),
            stage_due_at=now - timedelta(hours=5 + 20 * i),
            reported_at=now - timedelta(days=4),
            updated_at=now,
        )
    for back in range(1, 30):
        day = today - timedelta(days=back)
        for key in ("a1_west", "a1_east", "a2"):
            code = city.grids[key].code
            DailyFact.objects.create(
                day=day, region_code=code, measure="reported", value=3 + back % 4
            )
            DailyFact.objects.create(
                day=day, region_code=code, measure="closed", value=2 + back % 3
            )
        DailyFact.objects.create(
            day=day,
            region_code=city.grids["a1_west"].code,
            measure="reported",
            value=2,
            category=case_category("0101"),
        )
        DailyFact.objects.create(
            day=day,
            region_code=city.grids["a1_east"].code,
            measure="disposed",
            value=4,
            department=users.dept,
        )
        DailyFact.objects.create(
            day=day,
            region_code=city.grids["a1_east"].code,
            measure="disposed_on_time",
            value=3,
            department=users.dept,
        )
    summarise()  # as the rollup does after writing facts
    for i in range(40):
        make_person(
            city.grids["a1_west"],
            f"居民{i}",
            id_number="",
            sex=Sex.MALE if i % 2 else Sex.FEMALE,
            birth_date=date(1950 + i, 1, 1),
        )


def _open(browser: Any, live_server: Any, size: tuple[int, int], mode: str) -> Any:
    context = browser.new_context(locale="zh-CN", viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.set_default_timeout(20_000)
    browser_login(page, live_server, "command", "pw-command")
    return page


def _open_wall(browser: Any, live_server: Any, size: tuple[int, int]) -> Any:
    """The wall screen at ``size``, refreshed once, with every panel checked."""
    page = _open(browser, live_server, size, "wall")
    page.goto(f"{live_server.url}/screen/")
    expect(page.locator("#screen")).to_have_attribute("data-refreshed", "1")
    _expect_panels(page)
    return page


def _expect_panels(page: Any) -> None:
    for title in TITLES:
        expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
    for chart in CHARTS:
        expect(page.locator(f"#{chart} canvas").first).to_be_attached()
    expect(page.locator("#screen-map")).to_have_attribute("data-loaded", "3")
    expect(page.locator("#overdue-rows a").first).to_have_text("520102001001-20261123-0003")
    expect(page.locator("#map-legend")).to_contain_text("在办事件")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_wall_at_1920_by_1080(
    live_server: Any, browser: Any, street: None, screenshot_dir: Path
) -> None:
    page = _open_wall(browser, live_server, (1920, 1080))
    # A wall has no scroll bars: everything fits the screen.
    assert page.evaluate("() => document.documentElement.scrollHeight") <= 1080
    expect(page.locator(".topbar")).to_be_hidden()
    page.wait_for_timeout(500)  # let the heat layer and charts finish their first frame
    page.screenshot(path=str(screenshot_dir / "screen-wall-1920x1080.png"))
    # Clicking a grid shows its figures and a link to its case list.
    page.locator("#screen-map path.leaflet-interactive").first.click(force=True)
    expect(page.locator("#grid-info")).to_be_visible()
    # Each count links to the cases it counts; the card's link follows the layer shown.
    grid = "/cases/list/?grid=520102001001001"
    counts = page.locator("#grid-info dd a")
    expect(counts.nth(0)).to_have_attribute("href", f"{grid}&open=on")
    expect(counts.nth(1)).to_have_attribute("href", f"{grid}&overdue=on")
    expect(page.locator("#grid-info > a")).to_have_attribute("href", f"{grid}&open=on")
    page.click(".map-switch button[data-measure='satisfaction']")
    expect(page.locator("#map-legend")).to_contain_text("满意率")
    page.screenshot(path=str(screenshot_dir / "screen-wall-grid-card.png"))
    overdue = int(counts.nth(1).inner_text())
    counts.nth(1).click()
    expect(page).to_have_url(f"{live_server.url}{grid}&overdue=on")
    expect(page.locator("table.list tbody tr")).to_have_count(overdue)
    page.context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_desk_layout_and_a_failing_panel(
    live_server: Any, browser: Any, street: None, screenshot_dir: Path
) -> None:
    page = _open(browser, live_server, (1440, 900), "desk")

    def trend_fails(route: Any) -> None:
        body = route.fetch().json()
        body["panels"]["trend"] = {"ok": False, "error": "数据暂不可用"}
        route.fulfill(status=200, content_type="application/json", body=json.dumps(body))

    page.route("**/screen/data.json*", trend_fails)
    page.goto(f"{live_server.url}/screen/?mode=desk")
    expect(page.locator("#screen")).to_have_attribute("data-refreshed", "1")
    expect(page.locator(".topbar")).to_be_visible()
    expect(page.locator("[data-panel='trend'] .panel-error")).to_have_text("数据暂不可用")
    titles = [t for t in TITLES if t != "近30天上报与结案"]
    for title in titles:
        expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
    for chart in CHARTS[1:]:
        expect(page.locator(f"#{chart} canvas").first).to_be_attached()
    expect(page.locator("[data-panel='categories'] .panel-error")).to_have_count(0)
    page.screenshot(path=str(screenshot_dir / "screen-desk.png"), full_page=True)
    page.context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_wall_on_a_smaller_display_scrolls_instead_of_clipping(
    live_server: Any, browser: Any, street: None, screenshot_dir: Path
) -> None:
    page = _open_wall(browser, live_server, (1366, 768))
    # Nothing is cut off for good: every panel either shows all its rows or scrolls.
    cut_off = page.evaluate(
        """() => [...document.querySelectorAll('.panel-body')].filter((el) =>
            el.scrollHeight > el.clientHeight + 1 && getComputedStyle(el).overflowY === 'hidden'
        ).map((el) => el.closest('[data-panel]').dataset.panel)"""
    )
    assert cut_off == []
    page.screenshot(path=str(screenshot_dir / "screen-wall-1366x768.png"), full_page=True)
    page.context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_scores_and_rates_keep_one_decimal(live_server: Any, browser: Any, street: None) -> None:
    """JSON writes 63.0 as 63: the ranking list still reads 63.0 beside 68.9."""
    page = _open(browser, live_server, (1440, 900), "desk")

    def ranking(route: Any) -> None:
        body = route.fetch().json()
        body["panels"]["ranking"] = {
            "ok": True,
            "level": "grid",
            "level_label": "网格",
            "basis": "2026年10月综合得分",
            "unit": "分",
            "top": [{"label": "第2网格", "value": 92.8}],
            "bottom": [{"label": "第3网格", "value": 63}, {"label": "第4网格", "value": 68.9}],
        }
        route.fulfill(status=200, content_type="application/json", body=json.dumps(body))

    page.route("**/screen/data.json*", ranking)
    page.goto(f"{live_server.url}/screen/?mode=desk")
    expect(page.locator("#screen")).to_have_attribute("data-refreshed", "1")
    expect(page.locator("#rank-top li")).to_have_text(["第2网格92.8"])
    expect(page.locator("#rank-bottom li")).to_have_text(["第3网格63.0", "第4网格68.9"])
    page.context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_wide_jurisdiction_sees_communities_and_opens_one(
    live_server: Any,
    browser: Any,
    street: None,
    city: TestCity,
    screenshot_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Above COMMUNITY_MAP_ABOVE grids the wall draws communities (a city's 25,000 grids took
    a minute and a half to paint); a click opens that community's grids with their cards."""
    monkeypatch.setattr(screen_views, "COMMUNITY_MAP_ABOVE", 2)
    page = _open(browser, live_server, (1920, 1080), "wall")
    page.goto(f"{live_server.url}/screen/")
    expect(page.locator("#screen")).to_have_attribute("data-refreshed", "1")
    area = page.locator("#screen-map")
    expect(area).to_have_attribute("data-level", "community")
    expect(area).to_have_attribute("data-loaded", "2")  # 甲一社区 and 甲二社区 of street a
    expect(page.locator("#map-legend")).to_contain_text("点击社区查看其网格")
    back = page.get_by_role("button", name="返回全部社区")
    expect(back).to_be_hidden()
    page.wait_for_timeout(300)
    page.screenshot(path=str(screenshot_dir / "screen-wall-communities.png"))
    page.locator("#screen-map path.leaflet-interactive").first.click(force=True)
    expect(area).to_have_attribute("data-level", "grid")
    expect(back).to_be_visible()
    loaded = area.get_attribute("data-loaded")
    assert loaded in {"1", "2"}  # the community clicked: two grids in a1, one in a2
    page.locator("#screen-map path.leaflet-interactive").first.click(force=True)
    expect(page.locator("#grid-info")).to_be_visible()
    expect(page.locator("#grid-info h3")).to_contain_text("甲")
    # Every grid of street a holds an open case: the card shows the figures the wall asked for
    # when it opened the community (only that community's grid figures are sent).
    expect(page.locator("#grid-info dd").first).not_to_have_text("0")
    page.screenshot(path=str(screenshot_dir / "screen-wall-community-grids.png"))
    back.click()
    expect(area).to_have_attribute("data-level", "community")
    expect(area).to_have_attribute("data-loaded", "2")
    expect(page.locator("#grid-info")).to_be_hidden()
    page.context.close()


SPECIAL_GROUPS = [
    "独居老人", "空巢老人", "残疾人", "低保对象", "退役军人", "留守儿童", "刑满释放人员",
    "严重精神障碍患者", "重点青少年",
]  # fmt: skip
WIDER_THAN_THE_WINDOW = """() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > width + 0.5)
        .map((el) => `${el.tagName.toLowerCase()}#${el.id}.${el.className}`
            + ` ${Math.round(el.getBoundingClientRect().right)}`);
}"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("mode", ["wall", "desk"])
@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_the_screen_is_never_wider_than_the_window(
    live_server: Any, browser: Any, street: None, mode: str, size: tuple[int, int]
) -> None:
    page = _open(browser, live_server, size, mode)

    def special_groups(route: Any) -> None:
        # What a reader of the special groups sees (the demo's names): long names kept on one
        # line once widened the population panel past the window's edge.
        body = route.fetch().json()
        body["panels"]["population"]["groups"] = [
            {"label": name, "value": None, "display": "<5"} for name in SPECIAL_GROUPS
        ]
        route.fulfill(status=200, content_type="application/json", body=json.dumps(body))

    page.route("**/screen/data.json*", special_groups)
    page.goto(f"{live_server.url}/screen/?mode={mode}")
    expect(page.locator("#screen")).to_have_attribute("data-refreshed", "1")
    expect(page.locator("#screen-map")).to_have_attribute("data-loaded", "3")
    expect(page.locator("#pop-groups li")).to_have_count(len(SPECIAL_GROUPS))
    page.wait_for_timeout(300)  # charts size themselves on their first frame
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], page.evaluate(WIDER_THAN_THE_WINDOW)
    page.context.close()


# What a person sees, measured on the page: the residency legend's box and the donut's square
# (ECharts' own layout), each overdue row's status and time overdue against the panel's
# visible box, and the map's drawn street against the map's box.
SEEN = """() => {
    const chart = echarts.getInstanceByDom(document.getElementById('chart-residency'));
    const legend = chart.getViewOfComponentModel(chart.getModel().getComponent('legend')).group;
    const box = legend.getBoundingRect().clone();
    box.applyTransform(legend.transform);
    const ring = chart.getModel().getSeriesByIndex(0).getData().getItemLayout(0);
    const rect = (el) => el.getBoundingClientRect();
    const body = rect(document.querySelector('[data-panel="overdue"] .panel-body'));
    // The case number, the status and the time overdue (the columns the board is read for).
    const cells = [...document.querySelectorAll(
        '#overdue-rows td:nth-child(1), #overdue-rows td:nth-child(4), #overdue-rows td:nth-child(5)'
    )].map((td) => ({
        text: td.textContent, whole: td.scrollWidth <= td.clientWidth,
        inside: rect(td).right <= body.right + 0.5 && rect(td).left >= body.left - 0.5 }));
    const frame = rect(document.getElementById('screen-map'));
    const heat = rect(document.querySelector('#screen-map canvas.leaflet-heatmap-layer'));
    const shapes = [...document.querySelectorAll('#screen-map path.leaflet-interactive')].map(rect);
    return {
        legend: [box.x, box.y, box.x + box.width, box.y + box.height],
        donut: [ring.cx - ring.r, ring.cy - ring.r, ring.cx + ring.r, ring.cy + ring.r],
        chart: [chart.getWidth(), chart.getHeight()],
        cells,
        frame: [frame.left, frame.top, frame.right, frame.bottom],
        heat: [heat.left, heat.top, heat.right, heat.bottom],
        street: [Math.min(...shapes.map((s) => s.left)), Math.min(...shapes.map((s) => s.top)),
                 Math.max(...shapes.map((s) => s.right)), Math.max(...shapes.map((s) => s.bottom))],
    };
}"""


def _overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _what_is_not_whole(seen: dict[str, Any]) -> list[str]:
    problems = []  # every defect at once, not just the first
    if _overlap(seen["legend"], seen["donut"]):
        problems.append(f"legend {seen['legend']} on the donut {seen['donut']}")
    width, height = seen["chart"]
    donut = seen["donut"]
    if not (donut[0] >= 0 and donut[1] >= 0 and donut[2] <= width and donut[3] <= height):
        problems.append(f"donut {donut} outside its chart {seen['chart']}")
    cut = [c["text"] for c in seen["cells"] if not (c["whole"] and c["inside"])]
    if not seen["cells"] or cut:
        problems.append(f"board cells cut off: {cut}")
    frame, heat, drawn = seen["frame"], seen["heat"], seen["street"]
    # Leaflet draws into the box the panel has, not an older one (a canvas is whole pixels).
    if any(abs(h - f) > 1 for h, f in zip(heat, frame, strict=True)):
        problems.append(f"heat canvas {heat} is not the map's box {frame}")
    # The street is fitted to the settled box: centred in it, inside the fit's 12 px margin.
    centred = all(abs((drawn[i] + drawn[i + 2]) - (frame[i] + frame[i + 2])) <= 4 for i in (0, 1))
    margin = all(drawn[i] >= frame[i] + 10 and drawn[i + 2] <= frame[i + 2] - 10 for i in (0, 1))
    if not (centred and margin):
        problems.append(f"street {drawn} not fitted to the map's box {frame}")
    return problems


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("mode", "size"), [("wall", (1366, 768)), ("wall", (1920, 1080)), ("desk", (1440, 900))]
)
def test_the_donut_board_and_map_read_whole(
    live_server: Any,
    browser: Any,
    street: None,
    mode: str,
    size: tuple[int, int],
    screenshot_dir: Path,
) -> None:
    """QA: the residency legend sat on the donut, the board cut 已立案待分流 to 已立案待分,
    and the map, fitted before its panel settled, sat low with its lower edge cut."""
    page = _open(browser, live_server, size, mode)

    def long_rows(route: Any) -> None:
        body = route.fetch().json()
        body["panels"]["overdue"]["rows"] = [
            {
                **row,
                "status": "已立案待分流",
                "category": "机动车乱停放占道",
                "grid": "富水南路社区第12网格",
            }
            for row in body["panels"]["overdue"]["rows"]
        ]
        route.fulfill(status=200, content_type="application/json", body=json.dumps(body))

    page.route("**/screen/data.json*", long_rows)
    page.goto(f"{live_server.url}/screen/?mode={mode}")
    expect(page.locator("#screen")).to_have_attribute("data-refreshed", "1")
    expect(page.locator("#screen-map")).to_have_attribute("data-loaded", "3")
    expect(page.locator("#overdue-rows td:nth-child(4)").first).to_have_text("已立案待分流")
    # Charts and the map settle over a few frames (Leaflet re-fits after the panel's header
    # wraps, its heat layer after the debounced move): look until the page is right, or
    # report what is still wrong after ten seconds.
    problems = _what_is_not_whole(page.evaluate(SEEN))
    for _attempt in range(50):
        if not problems:
            break
        page.wait_for_timeout(200)
        problems = _what_is_not_whole(page.evaluate(SEEN))
    page.screenshot(path=str(screenshot_dir / f"screen-{mode}-{size[0]}.png"), full_page=True)
    assert problems == []
    page.context.close()
