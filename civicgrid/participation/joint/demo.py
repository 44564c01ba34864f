"""Demo joint meetings: two cases of the demo command centre's street that departments
returned twice (through the real workflow), one past meeting that decided the lead
department for the first (applied, minutes published), and the second still a candidate."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, TextIO

from django.utils import timezone

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import Department, User
from civicgrid.cases.choices import Action, Channel, HandlingLevel
from civicgrid.cases.demo import working_morning
from civicgrid.cases.models import Case, Category
from civicgrid.cases.services import case_report
from civicgrid.cases.workflow import case_transition
from civicgrid.core.worktime import add_working_hours
from civicgrid.geo.models import Grid
from civicgrid.participation.joint import services

STORIES = [
    (
        "0102",
        "背街小巷转角处建筑垃圾长期堆放,城管与住建互相推诿",
        ["施工方建筑垃圾,应由住建部门处理", "属市容环境卫生,应由城管部门处理"],
    ),
    (
        "0102",
        "小区外人行道破损积水,多次派遣未落实责任单位",
        ["人行道属市政设施,非本部门职责", "该路段未移交,请重新派遣"],
    ),
]

MINUTES = (
    "一、会议听取了街道网格管理中心关于该事件两次派遣、两次回退情况的通报。\n"
    "二、经协商,明确由{lead}主办,{assist}协办,5 个工作日内清理完毕并反馈。\n"
    "三、今后同类事件按本次会议明确的分工直接派遣,不再回退。"
)


def _clock(start: datetime) -> Any:
    at = start

    def tick(hours: float = 1.5) -> datetime:
        nonlocal at
        at = add_working_hours(at, hours)
        return at

    return tick


def _bounced(
    command: User, grid: Grid, story: tuple[str, str, list[str]], passes: list[Any], start: datetime
) -> Case:
    code, description, reasons = story
    tick = _clock(start)
    case = case_report(
        channel=Channel.HOTLINE,
        category=Category.objects.get(code=code),
        description=description,
        grid=grid,
        address=f"{grid.name}内",
        actor=command,
        at=tick(0),
    )
    case = case_transition(case=case, action=Action.ACCEPT, actor=command, at=tick(0.3))
    case = case_transition(
        case=case, action=Action.ROUTE, actor=command, level=HandlingLevel.STREET, at=tick(0.2)
    )
    for (dept, handler), reason in zip(passes, reasons, strict=True):
        case = case_transition(
            case=case, action=Action.DISPATCH, actor=command, department=dept, at=tick(0.5)
        )
        case = case_transition(
            case=case, action=Action.RETURN, actor=handler, note=reason, at=tick()
        )
    return case


def build_joint(city: Any, stdout: TextIO | None = None) -> dict[str, int]:
    command = User.objects.filter(username="command", role=Role.COMMAND).first()
    street = next((c for c in command.scope_codes if len(c) == 9), "") if command else ""
    grid = Grid.objects.filter(code__startswith=street, retired_on__isnull=True).order_by("code")
    home = grid.first() if street else None
    if command is None or home is None:
        return {"meetings": 0}
    local = [
        d
        for d in Department.objects.filter(retired_on__isnull=True)
        if street.startswith(d.region_code)
    ]
    handlers = {
        u.department_id: u for u in User.objects.filter(role=Role.DEPARTMENT, is_active=True)
    }
    pairs = [(d, handlers[d.pk]) for d in local if d.pk in handlers]
    if len(pairs) < 2:
        return {"meetings": 0}
    city_dept = next((p for p in pairs if p[0].code == "cgj"), pairs[0])
    # The housing bureau where the demo has one: building rubble is the classic dispute.
    others = [p for p in pairs if p[0] != city_dept[0]]
    other = next((p for p in others if p[0].code == "zjj"), others[0])
    now = timezone.now()
    # Each story takes about five working hours from a working morning: counted in working
    # days, it ends that day, long before now, even when a week-long holiday lies between.
    first = _bounced(command, home, STORIES[0], [city_dept, other], working_morning(now, 8))
    _bounced(command, home, STORIES[1], [other, city_dept], working_morning(now, 3))

    meeting = services.meeting_create(
        actor=command,
        title="背街小巷建筑垃圾处置联席会议",
        starts_at=now - timedelta(days=6),
        place="街道网格管理中心二楼会议室",
        region_code=street,
        participants="社区书记 · 张书记\n物业公司 · 李经理",
        department_ids=[city_dept[0].pk, other[0].pk],
        cases=[first],
    )
    services.meeting_convene(meeting=meeting, actor=command)
    item = meeting.items.get()
    services.decision_record(
        item=item,
        actor=command,
        lead_department_id=city_dept[0].pk,
        assist_department_ids=[other[0].pk],
        due_days=5,
        note="城管牵头清运,住建督促施工方承担费用",
    )
    services.decision_apply(item=item, actor=command)
    services.meeting_close(
        meeting=meeting,
        actor=command,
        minutes=MINUTES.format(lead=city_dept[0].name, assist=other[0].name),
    )
    if stdout is not None:
        stdout.write("联席会议:1 次已结束的会议(已明确主办部门),1 件待协调事件")
    return {"meetings": 1}
