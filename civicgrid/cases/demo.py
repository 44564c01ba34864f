"""Months of case history for the demo city, written only through the domain services
(``case_report``, ``case_merge``, ``case_transition``) with explicit timestamps, so that the
timeline, the deadlines and every KPI computed from CaseEvent rows are what real use would
leave. Deterministic within an hour: the random generators are seeded and the clock is
anchored at the start of the current hour.

Each case follows a script (a route with a variant: returned, reworked, extended, supervised,
deferred, held, unsatisfied, late…). Its clock advances in working hours after each step and
the script stops when it would run into the future, so recent cases are naturally caught
mid-way and fill every queue; the last few cases of each kind are reported within the day so
that every demo account finds work waiting."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from faker import Faker
from shapely.geometry import Point

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import Department, Scope, User
from civicgrid.cases.choices import Action, Channel, HandlingLevel, Satisfaction
from civicgrid.cases.models import Case, Category
from civicgrid.cases.services import case_merge, case_report
from civicgrid.cases.workflow import case_transition
from civicgrid.core.worktime import add_working_hours, is_workday
from civicgrid.geo.geometry import to_shape
from civicgrid.geo.models import Grid

MONTHS = 5
READ_BEFORE_DAYS = 3
HISTORY_CASES = 200

# The kinds of problem the demo reports, by 大类 code: city-management events and the
# community's own affairs.
DEMO_MAJORS = ("01", "02", "03", "04", "05", "11", "12", "13", "15", "16", "18", "20")

# What people write about each kind of problem (小类 code → texts), said after the place
# ("…路12号附近"). A 小类 without texts of its own gets ``GENERIC_DESCRIPTION``.
DESCRIPTIONS = {
    "0101": ["一楼住户在院坝里私自搭建彩钢棚。", "楼顶新加盖了一间板房,邻居担心安全。"],
    "0102": ["垃圾堆放在路边无人清运,异味很大。", "垃圾桶满溢,垃圾散落一地。"],
    "0103": ["装修后的建筑垃圾堆了半个月没人清。", "空地上积存大量渣土和碎砖。"],
    "0104": ["路面油污一大片,行人容易滑倒。", "人行道上泥浆和纸屑很多,长时间没人清扫。"],
    "0105": ["河道里漂浮大量塑料袋和泡沫。", "沟渠水面发黑发臭,漂着生活垃圾。"],
    "0106": ["墙面被乱涂乱画,很不雅观。", "新刷的围墙又被人喷了涂鸦。"],
    "0201": ["电线杆上贴满小广告。", "单元门和楼道墙上被贴了很多办证小广告。"],
    "0202": ["行道树之间私自拉挂了商家促销横幅。", "天桥栏杆上悬挂的横幅已经破烂下垂。"],
    "0203": ["店家把广告牌摆在人行道中间挡路。", "路口立了几块落地广告牌,影响视线。"],
    "0204": ["商铺招牌松动,有掉落危险。", "楼顶大型招牌破损,铁皮翘起。"],
    "0301": ["工地夜间施工,噪音扰民到凌晨。", "工地一大早就开始打桩,周边居民无法休息。"],
    "0302": ["工地裸土未覆盖,一刮风扬尘很大。", "工地出口没有冲洗,车辆带出大量泥灰。"],
    "0303": ["渣土车沿路遗撒,路面全是泥土。", "运输车辆撒漏砂石,路过车辆打滑。"],
    "0304": ["有人未经审批开挖人行道埋管。", "路面被挖开后没有设置围挡和警示。"],
    "0401": ["人行道出现塌陷坑洞,已有行人崴脚。", "车行道塌陷出一个大坑,车辆绕行。"],
    "0402": ["地下水管爆裂,路面冒水。", "供水管道破裂,水流了一整夜。"],
    "0403": ["楼道里闻到很重的燃气味。", "餐馆后厨燃气管道疑似泄漏,有刺鼻气味。"],
    "0404": ["下雨后路面积水没过脚踝,行人无法通过。", "下穿通道积水严重,车辆熄火。"],
    "0405": ["楼道里堆放纸箱,还有人私拉电线给电动车充电。", "废品收购站堆满易燃物,离住宅很近。"],
    "0501": ["流动摊贩占道经营,人行道无法通行。", "早市摊位摆到了机动车道上。"],
    "0502": ["店家把桌椅摆到门外经营。", "修车铺在店门外人行道上修车。"],
    "0503": ["机动车乱停占用消防通道。", "车辆长期停在人行道上,行人只能走车行道。"],
    "0504": ["共享单车堆满地铁口,行人无法通行。", "电动车乱停堵住了小区出入口。"],
    "0505": ["夜间露天烧烤,油烟熏得居民不能开窗。", "烧烤摊占用人行道到深夜,满地垃圾。"],
    "0601": ["好几盏路灯不亮,晚上一片漆黑。", "路灯白天亮、晚上反而不亮。"],
    "0602": ["井盖缺失,存在安全隐患。", "井盖破裂下陷,车辆压过哐哐响。"],
    "0603": ["路边护栏被撞坏倒在地上。", "公交站座椅损坏,铁皮翘起容易划伤人。"],
    "0604": ["绿化带被踩出一条路,草坪毁坏严重。", "有人砍伐行道树的树枝。"],
    "1101": ["一位党员咨询组织关系转入社区的手续。", "流动党员想就近参加组织生活,不知道找谁。"],
    "1201": [
        "小区停车位划分意见不一,需要议事会协商。",
        "居民希望修订小区文明公约,请社区组织议事。",
    ],
    "1202": ["老旧楼栋想加装电梯,高低楼层意见不一。", "小区公共收益怎么使用,业主希望公开讨论。"],
    "1301": ["一位老人需要开具居住证明,行动不便。", "居民咨询社保卡办理需要带哪些材料。"],
    "1401": ["居民希望开放活动室供广场舞队排练。", "健身器材区场地太小,想申请增设。"],
    "1501": ["小区绿化带杂草丛生,卫生死角没人打扫。", "楼栋周边环境卫生差,垃圾和落叶堆积。"],
    "1502": ["小区垃圾房周围老鼠很多。", "地下室积水蚊虫滋生,居民被叮咬。"],
    "1601": ["楼上漏水到楼下,邻里发生纠纷。", "邻居家装修占用公共过道,双方争执。"],
    "1602": ["业主与物业因物业费上涨发生纠纷。", "物业不处理电梯故障,业主拒交物业费。"],
    "1603": ["出租屋人员进出频繁,居民担心治安。", "小区围墙破损,夜里有可疑人员翻入。"],
    "1701": ["一位失业居民想参加就业技能培训。", "大学毕业生咨询社区有没有就业岗位推荐。"],
    "1702": ["几名工人反映工地拖欠三个月工资。", "店员离职后老板一直不结清工资。"],
    "1801": ["困难家庭申请临时救助。", "一户家庭因病致困,咨询低保申请条件。"],
    "1802": ["独居高龄老人需要上门探访。", "居民咨询高龄老人补贴和助餐服务。"],
    "1803": ["残疾居民申请无障碍设施改造。", "残疾人家属咨询辅具申领手续。"],
    "1901": ["居民咨询生育登记的办理流程。", "新手父母咨询育儿补贴政策。"],
    "2001": ["有人遛狗不拴绳,吓到小孩。", "小区里有人饲养大型犬,夜间叫声扰民。"],
    "2002": ["楼道堆放杂物,影响通行和消防。", "住户把旧家具堆在楼梯间好几个月。"],
    "2101": ["小卖部在卖过期食品。", "小吃店后厨卫生很差,没有看到卫生许可。"],
    "2201": ["居民咨询老旧小区改造政策。", "居民咨询公租房申请条件。"],
}
GENERIC_DESCRIPTION = "发现“{name}”方面的问题,请核实处理。"


def descriptions_for(category: Category) -> list[str]:
    """The texts a demo case of ``category`` may be described with."""
    return DESCRIPTIONS.get(category.code) or [GENERIC_DESCRIPTION.format(name=category.name)]


# Which demo department the district's responsibility list names for each kind of problem
# (小类 code, or 大类 code for all its 小类): dispatch then pre-selects it, as in real use.
RULE_DEPARTMENTS = {
    "01": "cgj",
    "02": "cgj",
    "03": "zjj",
    "04": "cgj",
    "0402": "sw",
    "0403": "zjj",
    "0404": "sw",
    "05": "cgj",
    "0503": "gaj",
    "06": "cgj",
    "1603": "gaj",
    "21": "scjg",
}


def name_rule_departments(departments: list[Department]) -> int:
    """Give each district of the demo its own responsibility rules naming the department
    that handles each street-level 小类 there (``RULE_DEPARTMENTS``), with the time limits the
    city-wide rule gives, so deadlines stay what they were. Returns how many rules it wrote;
    running it again writes none."""
    from civicgrid.cases.deadlines import rule_for
    from civicgrid.cases.models import ResponsibilityRule

    limits = [
        f"{stage}_{part}"
        for stage in ("accept", "dispatch", "handle", "verify")
        for part in ("limit", "unit")
    ]
    by_region: dict[str, dict[str, Department]] = {}
    for dept in departments:
        # Other districts' copies of a department carry the district code after a dash.
        by_region.setdefault(dept.region_code, {})[dept.code.split("-")[0]] = dept
    written = 0
    minors = Category.objects.current().minors().order_by("code")
    for region, named in by_region.items():
        for category in minors:
            code = RULE_DEPARTMENTS.get(category.code) or RULE_DEPARTMENTS.get(category.code[:2])
            handler = named.get(code or "")
            if handler is None:
                continue
            for urgent in (False, True):
                base = rule_for(category, region, urgent=urgent)
                if base is None or base.urgent != urgent or base.region_prefix == region:
                    continue
                ResponsibilityRule.objects.create(
                    category=category,
                    region_prefix=region,
                    urgent=urgent,
                    level=base.level,
                    department=handler,
                    **{name: getattr(base, name) for name in limits},
                )
                written += 1
    return written


NOTES = {
    Action.FEEDBACK: [
        "已现场处置完毕",
        "已清理并拍照留存",
        "已协调物业整改到位",
        "已约谈当事人并整改",
    ],
    Action.REWORK: ["现场仍有残留,需返工", "整改不彻底,请重新处理"],
    Action.RETURN: ["非本部门职责范围,请重新派遣", "地址不在本部门辖区"],
    Action.REQUEST_EXTENSION: ["需协调施工单位,申请延期", "材料采购需要时间"],
    Action.SUPERVISE: ["群众反映强烈,请加快办理", "多次反映未解决,督办"],
    Action.DEFER: ["需等待天气好转后施工", "涉及规划调整,暂缓办理"],
    Action.HOLD: ["涉及历史遗留问题,挂账跟踪"],
    Action.VOID: ["经核实不属实", "重复反映,已在办理中", "不属于受理范围"],
    Action.REOPEN: ["居民反映问题仍未解决"],
}


@dataclass
class Cast:
    """Who plays each part in one place of the demo city."""

    worker: User
    desk: User | None  # the community secretary (None where the demo has none)
    cadre: User | None
    command: User
    resident: User


@dataclass
class Story:
    """One case: where, what, through which channel, and how it goes."""

    grid: Grid
    cast: Cast
    category: Category
    channel: str
    route: str  # community, council or department
    variants: set[str] = field(default_factory=set)
    stop_before: int | None = None  # keep the case open before this step
    department: Department | None = None  # first department it is dispatched to


class Clock:
    def __init__(self, start: datetime, until: datetime) -> None:
        self.at = start
        self.until = until

    def advance(self, hours: float) -> bool:
        """Move on by working hours; False when that would be in the future."""
        later = add_working_hours(self.at, hours)
        if later > self.until:
            return False
        self.at = later
        return True


class DemoCases:
    def __init__(self, city: Any, now: datetime) -> None:
        self.rng = random.Random(4)
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(4)
        self.now = now
        self.departments = list(Department.objects.filter(retired_on__isnull=True))
        self.city_dept = next(d for d in self.departments if d.code == "cgj")
        name_rule_departments(self.departments)
        self.handlers = self._handlers()
        self.categories = self._categories()
        self.casts = self._casts(city)
        self.made: list[Case] = []

    # --- people and places ---------------------------------------------------------------

    def _handlers(self) -> dict[int, User]:
        """One handler per department: the demo ``dept`` account for 区城市管理局 and a
        ``dept-<code>`` account with the demo password for each other department, so the
        cases dispatched there can be signed for in the demo."""
        from civicgrid.accounts.demo import DEMO_PASSWORD

        found = {u.department_id: u for u in User.objects.filter(role=Role.DEPARTMENT)}
        password = make_password(DEMO_PASSWORD)  # hashed once: hashing is slow on purpose
        for dept in self.departments:
            if dept.pk not in found:
                found[dept.pk] = User.objects.create(
                    username=f"dept-{dept.code}",
                    full_name=self.fake.name(),
                    role=Role.DEPARTMENT,
                    department=dept,
                    password=password,
                )
        return {k: v for k, v in found.items() if k is not None}

    def _categories(self) -> dict[str, list[Category]]:
        by_major: dict[str, list[Category]] = {}
        for category in Category.objects.current().minors().order_by("code"):
            by_major.setdefault(category.code[:2], []).append(category)
        return {major: items for major, items in by_major.items() if major in DEMO_MAJORS}

    def _casts(self, city: Any) -> list[tuple[Grid, Cast]]:
        """Grids of the streets that have a command-centre account, each with its cast."""
        accounts = {u.username: u for u in User.objects.exclude(username__startswith="gw")}
        resident = accounts["resident"]
        commands = {
            s.code: s.user
            for s in Scope.objects.filter(
                user__role=Role.COMMAND, retired_on__isnull=True
            ).select_related("user")
        }
        workers = {
            s.code: s.user
            for s in Scope.objects.filter(
                user__role=Role.GRID_WORKER, retired_on__isnull=True
            ).select_related("user")
        }
        desk_community = city.communities[0].code
        casts = []
        for grid in city.grids:
            command = commands.get(grid.code[:9])
            if command is None or grid.code not in workers:
                continue
            home = grid.code.startswith(desk_community)
            casts.append(
                (
                    grid,
                    Cast(
                        worker=workers[grid.code],
                        desk=accounts["secretary"] if home else None,
                        cadre=accounts["cadre"] if home else None,
                        command=command,
                        resident=resident,
                    ),
                )
            )
        return casts

    def point_in(self, grid: Grid) -> tuple[float, float]:
        shape = to_shape(grid.geometry)
        west, south, east, north = shape.bounds
        for _attempt in range(50):
            lng, lat = self.rng.uniform(west, east), self.rng.uniform(south, north)
            if shape.contains(Point(lng, lat)):
                return round(lat, 6), round(lng, 6)
        centre = shape.representative_point()
        return centre.y, centre.x

    # --- stories -------------------------------------------------------------------------

    def story(self, *, home: bool | None = None, grid: Grid | None = None) -> Story:
        pool = [
            gc
            for gc in self.casts
            if (home is None or (gc[1].desk is not None) == home) and grid in (None, gc[0])
        ]
        # Most cases happen where the demo accounts work, so their pages are lively.
        weights = [6 if cast.desk is not None else 1 for _grid, cast in pool]
        grid, cast = self.rng.choices(pool, weights=weights)[0]
        community_work = cast.desk is not None and self.rng.random() < 0.3
        majors = [m for m in self.categories if (m >= "11") == community_work]
        category = self.rng.choice(self.categories[self.rng.choice(majors)])
        route = "department"
        if community_work:
            route = "council" if category.code.startswith("12") else "community"
        channel = self.rng.choices(
            [Channel.GRID_WORKER, Channel.RESIDENT, Channel.HOTLINE, Channel.WALK_IN, Channel.HIGHER_LEVEL],
            weights=[50, 20, 15, 10, 5],
        )[0]  # fmt: skip
        variants = set()
        for name, chance in [
            ("late", 0.15), ("returned", 0.06), ("rework", 0.08), ("extended", 0.06),
            ("supervised", 0.08), ("deferred", 0.03), ("held", 0.02), ("voided", 0.04),
            ("unsatisfied", 0.06),
        ]:  # fmt: skip
            if self.rng.random() < chance:
                variants.add(name)
        if route != "department":
            variants -= {"returned", "extended"}
        return Story(grid, cast, category, channel, route, variants)

    def description(self, category: Category) -> str:
        text = self.rng.choice(descriptions_for(category))
        street = self.fake.street_name()
        return f"{street}{self.rng.randint(1, 199)}号附近{text}"

    def report(self, story: Story, at: datetime) -> Case:
        cast = story.cast
        lat, lng = self.point_in(story.grid)
        extra: dict[str, Any] = {}
        if story.channel == Channel.RESIDENT:
            actor = cast.resident
        elif story.channel == Channel.GRID_WORKER:
            actor = cast.worker
        else:
            actor = cast.desk or cast.command
            if story.channel in (Channel.HOTLINE, Channel.WALK_IN):
                extra = {
                    "reporter_name": self.fake.name(),
                    "reporter_phone": self.fake.phone_number(),
                }
            else:
                actor = cast.command
        return case_report(
            channel=story.channel,
            category=story.category,
            description=self.description(story.category),
            lat=lat,
            lng=lng,
            actor=actor,
            at=at,
            urgent=story.category.code.startswith("04") and self.rng.random() < 0.5,
            **extra,
        )

    def steps(self, story: Story, case: Case) -> list[tuple[str, User, dict[str, Any], float]]:
        """The actions of the story as (action, actor, input, working hours before it)."""
        cast, v, rng = story.cast, story.variants, self.rng
        desk = cast.desk or cast.command
        slow = 3.0 if "late" in v else 1.0
        note = lambda action: rng.choice(NOTES[action])  # noqa: E731
        if "voided" in v:
            return [(Action.VOID, desk, {"note": note(Action.VOID)}, rng.uniform(0.1, 0.8))]
        out: list[tuple[str, User, dict[str, Any], float]] = [
            (Action.ACCEPT, desk, {}, rng.uniform(0.1, 0.8) * slow)
        ]
        first: Department | None = None  # the department that handles it, if any
        if story.route == "department":
            # Mostly the department the responsibility list names (what dispatch pre-selects).
            named = case.rule.department if case.rule else None
            # Only the departments of the case's own district may take it.
            local = [d for d in self.departments if case.grid_code.startswith(d.region_code)]
            first = story.department or (
                named if named is not None and rng.random() < 0.8 else rng.choice(local)
            )
            out.append(
                (Action.ROUTE, desk, {"level": HandlingLevel.STREET}, rng.uniform(0.05, 0.3))
            )
            out.append(
                (
                    Action.DISPATCH,
                    cast.command,
                    {"department": first},
                    rng.uniform(0.05, 0.4) * slow,
                )
            )
            handler = self.handlers[first.pk]
            others = [d for d in local if d.pk != first.pk]
            if "returned" in v and others:
                out.append(
                    (Action.RETURN, handler, {"note": note(Action.RETURN)}, rng.uniform(0.5, 3))
                )
                first = rng.choice(others)
                handler = self.handlers[first.pk]
                out.append(
                    (Action.DISPATCH, cast.command, {"department": first}, rng.uniform(0.2, 1))
                )
            out.append((Action.SIGN_FOR, handler, {}, rng.uniform(0.2, 2) * slow))
            if "supervised" in v:
                out.append(
                    (
                        Action.SUPERVISE,
                        cast.command,
                        {"note": note(Action.SUPERVISE), "amount": 2, "unit": "days"},
                        rng.uniform(2, 8),
                    )
                )
            if "extended" in v:
                out.append(
                    (
                        Action.REQUEST_EXTENSION,
                        handler,
                        {"note": note(Action.REQUEST_EXTENSION), "amount": 3, "unit": "days"},
                        rng.uniform(4, 12),
                    )
                )
                out.append((Action.APPROVE_EXTENSION, cast.command, {}, rng.uniform(0.5, 3)))
            if "deferred" in v or "held" in v:
                action = Action.DEFER if "deferred" in v else Action.HOLD
                out.append((action, cast.command, {"note": note(action)}, rng.uniform(2, 8)))
                if action == Action.HOLD:
                    return out
                out.append((Action.RESUME, cast.command, {}, rng.uniform(16, 60)))
            doer = handler
        else:
            level = HandlingLevel.COUNCIL if story.route == "council" else HandlingLevel.COMMUNITY
            out.append((Action.ROUTE, desk, {"level": level}, rng.uniform(0.1, 0.6)))
            if "supervised" in v:
                out.append(
                    (Action.SUPERVISE, desk, {"note": note(Action.SUPERVISE)}, rng.uniform(2, 8))
                )
            doer = cast.cadre or desk
        handle = rng.uniform(2, 20) * slow * (3 if story.route == "council" else 1)
        if story.stop_before is not None:
            handle = rng.uniform(1, 3)  # fresh work: quick enough to reach its queue today
        out.append((Action.FEEDBACK, doer, {"note": note(Action.FEEDBACK)}, handle))
        verifier = cast.worker
        if "rework" in v:
            out.append(
                (Action.REWORK, verifier, {"note": note(Action.REWORK)}, rng.uniform(0.3, 2) * slow)
            )
            out.append((Action.FEEDBACK, doer, {"note": note(Action.FEEDBACK)}, rng.uniform(2, 10)))
        out.append(
            (Action.VERIFY, verifier, {"note": "现场核查,已整改到位"}, rng.uniform(0.3, 2) * slow)
        )
        evaluator = cast.resident if story.channel == Channel.RESIDENT else cast.command
        if "unsatisfied" in v:
            out.append(
                (
                    Action.EVALUATE,
                    evaluator,
                    {"satisfaction": Satisfaction.UNSATISFIED, "note": "问题没有彻底解决"},
                    rng.uniform(2, 16),
                )
            )
            out.append(
                (Action.REOPEN, evaluator, {"note": note(Action.REOPEN)}, rng.uniform(0.5, 4))
            )
            out.append(
                (
                    Action.ROUTE,
                    desk,
                    {
                        "level": HandlingLevel.STREET
                        if story.route == "department"
                        else HandlingLevel.COMMUNITY
                    },
                    rng.uniform(0.2, 1),
                )
            )
            out += self.second_round(story, department=first, doer=doer, evaluator=evaluator)
            return out
        # Some residents never come back to evaluate: those stay waiting for them.
        if evaluator != cast.resident or rng.random() < 0.7:
            mood = rng.choices(list(Satisfaction), weights=[70, 22, 8])[0]
            if mood != Satisfaction.UNSATISFIED:
                out.append((Action.EVALUATE, evaluator, {"satisfaction": mood}, rng.uniform(2, 16)))
        return out  # fmt: skip

    def second_round(
        self, story: Story, *, department: Department | None, doer: User, evaluator: User
    ) -> list[tuple[str, User, dict[str, Any], float]]:
        """After an unsatisfied evaluation, reopening and routing again: the street
        dispatches to the same department again (department route), the work is done
        and fed back, verified and closed, and evaluated again, mostly satisfied. Only a
        story recent enough to run into the present stays open part-way (``play`` stops
        there)."""
        cast, rng = story.cast, self.rng
        out: list[tuple[str, User, dict[str, Any], float]] = []
        if story.route == "department" and department is not None:
            out.append(
                (Action.DISPATCH, cast.command, {"department": department}, rng.uniform(0.1, 1))
            )
            out.append((Action.SIGN_FOR, doer, {}, rng.uniform(0.2, 2)))
        out.append(
            (
                Action.FEEDBACK,
                doer,
                {"note": rng.choice(NOTES[Action.FEEDBACK])},
                rng.uniform(2, 12),
            )
        )
        out.append(
            (Action.VERIFY, cast.worker, {"note": "复查到位,问题已解决"}, rng.uniform(0.3, 2))
        )
        mood = rng.choices([Satisfaction.SATISFIED, Satisfaction.BASIC], weights=[75, 25])[0]
        out.append((Action.EVALUATE, evaluator, {"satisfaction": mood}, rng.uniform(2, 16)))
        return out

    def play(self, story: Story, start: datetime) -> Case | None:
        if start > self.now:
            return None
        case = self.report(story, start)
        clock = Clock(start, self.now)
        for index, (action, actor, data, hours) in enumerate(self.steps(story, case)):
            if story.stop_before is not None and index >= story.stop_before:
                break
            if not clock.advance(hours):
                break
            payload = dict(data)
            note = payload.pop("note", "")
            case = case_transition(
                case=case, action=action, actor=actor, note=note, at=clock.at, **payload
            )
        self.made.append(case)
        return case

    def duplicate_of(self, original: Case, at: datetime) -> None:
        """A second report of the same problem a few metres away, merged by the desk."""
        merged_at = add_working_hours(at, 0.3)
        # Working hours from an evening or weekend report run into the next working
        # morning, which for the last cases of the history is after the build: such a
        # duplicate has not happened yet, and a case reported tomorrow would top every list.
        if merged_at > self.now:
            return
        cast = next(c for g, c in self.casts if g.pk == original.grid_id)
        duplicate = case_report(
            channel=Channel.HOTLINE,
            category=original.category,
            description=original.description.replace("附近", "旁边"),
            lat=(original.lat or 0) + 0.0002,
            lng=(original.lng or 0) + 0.0001,
            actor=cast.desk or cast.command,
            reporter_name=self.fake.name(),
            reporter_phone=self.fake.phone_number(),
            at=at,
        )
        case_merge(
            duplicate=duplicate,
            into=original,
            actor=cast.desk or cast.command,
            at=merged_at,
        )
        self.made.append(duplicate)


def build_cases(city: Any, stdout: Any = None, *, history: int = HISTORY_CASES) -> int:
    """Write the demo history; returns the number of cases made."""
    # Anchored at the start of the hour so two builds within it write the same history.
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    demo = DemoCases(city, now)
    if not demo.casts:
        return 0
    begin = now - timedelta(days=30 * MONTHS)
    span = (now - begin).total_seconds()
    starts = sorted(begin + timedelta(seconds=demo.rng.uniform(0, span)) for _ in range(history))
    for start in starts:
        original = demo.play(demo.story(), start)
        if original is not None and original.is_open and demo.rng.random() < 0.05:
            demo.duplicate_of(original, add_working_hours(start, 0.5))
    # Fresh work for each demo account: cases reported in the last working day, stopped at
    # the step each queue waits for.
    _fresh(demo, now, city.grids[0])
    # Registered after every step's notification, so it runs after them on commit.
    transaction.on_commit(partial(_read_old_messages, now - timedelta(days=READ_BEFORE_DAYS)))
    if stdout is not None:
        stdout.write(f"事件:{len(demo.made)} 件(近 {MONTHS} 个月,含各类渠道、路径和异常情形)")
    return len(demo.made)


def _read_old_messages(before: datetime) -> None:
    """Demo users have read the messages of their months of history; what came in the last
    days stays unread, so an inbox shows the recent news rather than hundreds of items."""
    from civicgrid.notifications.models import Notification
    from civicgrid.notifications.services import mark_read

    old: dict[int, list[int]] = {}
    unread = Notification.objects.filter(created_at__lt=before, read_at__isnull=True)
    for user_id, pk in unread.values_list("recipient_id", "pk"):
        old.setdefault(user_id, []).append(pk)
    for user in User.objects.filter(pk__in=list(old)):
        mark_read(user=user, ids=old[user.pk])


def working_morning(now: datetime, workdays_back: int) -> datetime:
    """09:10 on the working day ``workdays_back`` working days before ``now``'s day."""
    day = timezone.localtime(now).date()
    while workdays_back:
        day -= timedelta(days=1)
        if is_workday(day):
            workdays_back -= 1
    return timezone.localtime(now).replace(
        year=day.year, month=day.month, day=day.day, hour=9, minute=10, second=0, microsecond=0
    )


def _fresh(demo: DemoCases, now: datetime, home_grid: Grid) -> None:
    # Fresh work starts on the last working morning that leaves room for the steps before
    # each stop (about six working hours), so it is recent rather than long overdue.
    today = working_morning(now, 0)
    room = is_workday(today.date()) and now - today >= timedelta(hours=7, minutes=30)
    yesterday = today if room else working_morning(now, 1)
    # Department route steps: accept, route, dispatch, sign for, feed back, verify. Stopping
    # before step n leaves the case in the queue that step serves.
    # With an extension asked for, step 5 is its approval; with supervision, step 5 is the
    # feedback after it.
    plan: list[tuple[int, int, set[str]]] = [
        (0, 3, set()), (1, 2, set()), (2, 2, set()), (3, 3, set()), (4, 3, set()),
        (5, 3, set()), (5, 2, {"extended"}), (5, 1, {"supervised"}),
    ]  # fmt: skip
    for stop_before, count, variants in plan:
        for _ in range(count):
            story = demo.story(home=True, grid=home_grid)
            story.route, story.stop_before = "department", stop_before
            story.variants = set(variants)
            story.department = demo.city_dept
            if story.category.code >= "11":
                story.category = Category.objects.get(code="0102")
            demo.play(story, yesterday + demo.rng.uniform(0, 1) * timedelta(hours=4))
    # Community-level work for the cadre and the secretary (routed, not yet fed back), and a
    # resident's own request, closed and waiting for their evaluation.
    for route, major in (("community", "15"), ("council", "12")):
        story = demo.story(home=True, grid=home_grid)
        story.route, story.variants, story.stop_before = route, set(), 2
        story.category = demo.categories[major][0]
        demo.play(story, yesterday)
    story = demo.story(home=True, grid=home_grid)
    story.channel, story.route, story.variants = Channel.RESIDENT, "community", set()
    story.stop_before, story.category = 4, demo.categories["15"][0]
    demo.play(story, working_morning(now, 4))
