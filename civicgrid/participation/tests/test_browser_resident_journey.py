"""Issue 11's acceptance test, in one browser session on a 390×844 phone: a visitor without an
account finds their grid worker by the phone's position, reads a notice, then signs in as a
resident, proposes an issue, supports a neighbour's and signs up for a volunteer activity.

Each step is reached from the page before it, the way a person would (links and the menu), not
by typing addresses; only the first page is opened directly."""

from datetime import time, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from civicgrid.accounts.choices import Role
from civicgrid.participation.councils import services as councils
from civicgrid.participation.councils.models import Proposal
from civicgrid.participation.councils.testing import make_council
from civicgrid.participation.testing import make_card, make_notice
from civicgrid.participation.volunteers import services as volunteers
from civicgrid.participation.volunteers.choices import TeamKind
from civicgrid.participation.volunteers.models import Signup
from civicgrid.testing.cases import IN_A1_WEST
from civicgrid.testing.users import make_user

PHONE = {"width": 390, "height": 844}
WEST_GRID = "520102001001001"


@pytest.fixture
def community(transactional_db: Any, city: Any, users: Any) -> dict[str, Any]:
    """Community a1 as its staff left it: the worker's published card, a published notice, a
    council with a neighbour's proposal, an upcoming activity; all made through the services
    the staff's and the neighbour's pages call, except the card and notice (their builders)."""
    code = city.comm_a1.code
    users.worker.full_name = "王网格"
    users.worker.phone = "13900001111"
    users.worker.save()
    make_card(users.worker, phone="0851-85550001")
    make_notice(
        users.secretary,
        city.comm_a1,
        title="冬季消防安全检查",
        body="本周起入户检查,请家中留人。",
    )
    make_council(code, threshold=3)
    neighbour = make_user("neighbour", Role.RESIDENT)
    councils.resident_community_choose(actor=neighbour, code=code)
    councils.proposal_create(
        actor=neighbour, title="单元门口规范电动车停放", description="电动车堵住了消防通道"
    )
    team = volunteers.team_save(
        actor=users.cadre, community_code=code, name="环保志愿队", kind=TeamKind.ENVIRONMENT
    )
    volunteers.activity_create(
        actor=users.cadre,
        team=team,
        title="周末河道清洁行动",
        date=timezone.localdate() + timedelta(days=2),
        starts_at=time(9, 0),
        ends_at=time(11, 0),
        place="南明河畔",
        places=3,
    )
    return {"code": code, "neighbour": neighbour}


def _fits(page: Any) -> None:
    """Nothing wider than the phone: no sideways scrolling on any page of the journey."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def _shot(page: Any, folder: Path, name: str) -> None:
    _fits(page)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def _menu(page: Any, label: str) -> None:
    """On a phone the main menu is folded behind ☰."""
    page.locator("label.nav-burger").click()
    page.locator("nav.mainnav").get_by_role("link", name=label, exact=True).click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_resident_journey_on_a_phone(
    live_server: Any,
    browser: Any,
    city: Any,
    users: Any,
    community: dict[str, Any],
    screenshot_dir: Path,
) -> None:
    context = browser.new_context(
        locale="zh-CN",
        viewport=PHONE,
        geolocation={"latitude": IN_A1_WEST[0], "longitude": IN_A1_WEST[1]},
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.set_default_timeout(15_000)

    # 1. No account: the phone's position finds the community and the grid it lies in.
    page.goto(f"{live_server.url}/community/")
    expect(page.locator("h1")).to_have_text("社区服务")
    _shot(page, screenshot_dir, "01_portal_home")
    page.get_by_role("button", name="使用我的位置").click()
    expect(page.locator("h1")).to_have_text("甲一社区")
    chosen = page.locator(".grid-box.chosen")
    expect(chosen).to_have_attribute("data-grid", WEST_GRID)
    card = chosen.locator(".worker-card")
    expect(card).to_contain_text("王网格")
    expect(card).to_contain_text("0851-85550001")
    # The map's grids come from a fetch: check for the private number once they are in.
    expect(page.locator("#portal-map")).to_have_attribute("data-loaded", "2")
    assert "13900001111" not in page.content()
    chosen.scroll_into_view_if_needed()
    _shot(page, screenshot_dir, "02_community_located")

    # 2. A published notice, read in full.
    page.locator("#portal-notices").get_by_role("link", name="冬季消防安全检查").click()
    expect(page.locator("#notice h1")).to_have_text("冬季消防安全检查")
    expect(page.locator(".notice-body")).to_contain_text("本周起入户检查,请家中留人。")
    _shot(page, screenshot_dir, "03_notice")

    # 3. Sign in from the notice page and come back to it.
    page.get_by_role("link", name="登录", exact=True).click()
    expect(page.locator("h1")).to_have_text("登录")
    page.fill("#id_username", "resident")
    page.fill("#id_password", "pw-resident")
    _shot(page, screenshot_dir, "04_login")
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#notice h1")).to_have_text("冬季消防安全检查")
    expect(page.locator(".userbox")).to_contain_text("resident")

    # 4. Propose an issue: the first time, the resident says which community they live in.
    _menu(page, "居民议题")
    expect(page.locator("h1")).to_have_text("居民议题")
    page.get_by_label("所在社区").select_option(community["code"])
    _shot(page, screenshot_dir, "05_choose_community")
    page.get_by_role("button", name="确定").click()
    expect(page.locator(".messages")).to_contain_text("已登记您所在的社区")
    page.locator("#proposal-new").click()
    page.fill("#id_title", "东门加装路灯")
    page.fill("#id_description", "晚上东门太黑,老人进出容易摔倒")
    page.fill("#id_address", "小区东门")
    _shot(page, screenshot_dir, "06_proposal_form")
    page.get_by_role("button", name="提交议题").click()
    expect(page.locator("#proposal h1")).to_have_text("东门加装路灯")
    expect(page.locator("#proposal")).to_contain_text("这是您提出的议题")
    _shot(page, screenshot_dir, "07_proposal_mine")

    # 5. Support the neighbour's proposal of the same community.
    _menu(page, "居民议题")
    rows = page.locator(".proposal-list")
    expect(rows).to_contain_text("东门加装路灯")
    rows.get_by_role("link", name="单元门口规范电动车停放").click()
    expect(page.locator("#proposal h1")).to_have_text("单元门口规范电动车停放")
    page.locator("#support").click()
    expect(page.locator("#support-count")).to_have_text("1")
    expect(page.locator("#proposal")).to_contain_text("您已支持该议题")
    _shot(page, screenshot_dir, "08_proposal_supported")

    # 6. Sign up for the community's upcoming activity and find it under 我的报名. Not yet a
    # volunteer, the resident still sees their community's activities: the community chosen
    # for the council above is theirs for 志愿服务 too.
    _menu(page, "志愿服务")
    expect(page.locator("#mine")).to_contain_text("我的报名")
    upcoming = page.locator("#upcoming")
    expect(upcoming).to_contain_text("剩余 3 / 3 个名额")
    _shot(page, screenshot_dir, "09_volunteers_home")
    upcoming.get_by_role("link", name="周末河道清洁行动").click()
    expect(page.get_by_role("button", name="我要报名")).to_be_visible()
    page.fill("input[name=phone]", "13812345678")
    _shot(page, screenshot_dir, "10_activity")
    page.get_by_role("button", name="我要报名").click()
    expect(page.locator(".messages")).to_contain_text("报名成功")
    mine = page.locator("#mine")
    expect(mine).to_contain_text("周末河道清洁行动")
    expect(mine).to_contain_text("已报名")
    expect(page.locator("#upcoming")).to_contain_text("剩余 2 / 3 个名额")
    mine.scroll_into_view_if_needed()
    _shot(page, screenshot_dir, "11_my_signups")
    context.close()

    mine_rows = Proposal.objects.filter(proposer=users.resident)
    assert [p.community_code for p in mine_rows] == [community["code"]]
    neighbours = Proposal.objects.get(proposer=community["neighbour"])
    assert list(neighbours.supports.values_list("user_id", flat=True)) == [users.resident.pk]
    assert Signup.objects.filter(volunteer__user=users.resident).count() == 1
