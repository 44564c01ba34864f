"""Demo 议事会: a council of nine in every demo community (members named after people of its
ledger where it has them); in the demo secretary's community two past meetings that resolved
cases routed to the council (routed here through case_transition when the case history left
none), one upcoming meeting, and proposals by the demo resident (one over the threshold, on
the upcoming agenda; one collecting support) with a few neighbours' accounts supporting."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, TextIO

from django.utils import timezone

from civicgrid.accounts.choices import Role
from civicgrid.accounts.demo import DEMO_PASSWORD
from civicgrid.accounts.models import User
from civicgrid.cases.choices import Action, CaseStatus, HandlingLevel
from civicgrid.cases.models import Case
from civicgrid.cases.workflow import TransitionError, case_transition
from civicgrid.participation.choices import ClaimStatus
from civicgrid.participation.councils import services
from civicgrid.participation.councils.choices import (
    Decision,
    FollowUp,
    MeetingStatus,
    MemberRole,
    VoteChoice,
)
from civicgrid.participation.councils.models import (
    Council,
    CouncilMember,
    Meeting,
)
from civicgrid.participation.disclosure import publish_disclosure
from civicgrid.participation.models import ResidentCommunity
from civicgrid.registry.models import Person

THRESHOLD = 3
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "建国秀英志强桂芳明华丽娟德明玉兰文军海燕国庆红梅"


def _names(rng: Any, n: int) -> list[str]:
    return [
        rng.choice(SURNAMES) + rng.choice(GIVEN[::2]) + rng.choice(GIVEN[1::2]) for _ in range(n)
    ]


def _members(council: Council, city: Any, cadres: list[User]) -> None:
    code = council.community_code
    people = list(
        Person.objects.filter(grid_code__startswith=code, retired_on__isnull=True)
        .order_by("is_party_member", "id")
        .values_list("name", "is_party_member")[:200]
    )
    party = [n for n, p in people if p][:3]
    others = [n for n, p in people if not p][:3]
    party += _names(city.rng, 3 - len(party))
    others += _names(city.rng, 3 - len(others))
    joined = date(2026, 1, 1)
    rows: list[tuple[str, str, User | None]] = [(n, MemberRole.RESIDENT_REP, None) for n in others]
    rows += [(n, MemberRole.PARTY_MEMBER, None) for n in party]
    rows += [(u.full_name or u.username, MemberRole.CADRE, u) for u in cadres[:3]]
    rows += [(n, MemberRole.CADRE, None) for n in _names(city.rng, 9 - len(rows))]
    CouncilMember.objects.bulk_create(
        CouncilMember(council=council, name=n, role=r, user=u, joined_on=joined) for n, r, u in rows
    )


def _council_cases(code: str, secretary: User, limit: int) -> list[Case]:
    """Cases of the community on the council's agenda, routing accepted ones when too few."""
    found = list(
        Case.objects.filter(status=CaseStatus.COUNCIL, grid_code__startswith=code).order_by(
            "reported_at"
        )[:limit]
    )
    if len(found) >= limit:
        return found
    cutoff = timezone.now() - timedelta(days=10)
    for case in Case.objects.filter(
        status=CaseStatus.ACCEPTED, grid_code__startswith=code, updated_at__lt=cutoff
    ).order_by("reported_at")[: (limit - len(found)) * 3]:
        try:
            case_transition(
                case=case,
                action=Action.ROUTE,
                actor=secretary,
                level=HandlingLevel.COUNCIL,
                at=case.updated_at + timedelta(hours=2),
            )
        except TransitionError:
            continue
        found.append(case)
        if len(found) >= limit:
            break
    return found


def _past_meeting(
    council: Council, secretary: User, case: Case, decision: str, text: str
) -> Meeting | None:
    held = min(case.updated_at + timedelta(days=2), timezone.now() - timedelta(hours=2))
    meeting = services.meeting_draft(
        actor=secretary, council=council, held_at=held, place="社区党群服务中心议事厅"
    )
    item = services.item_add(actor=secretary, meeting=meeting, case=case)
    members = services.members_at(council, timezone.localtime(held).date())
    present = members[:7]
    services.attendance_set(actor=secretary, meeting=meeting, present=[m.pk for m in present])
    services.meeting_convene(actor=secretary, meeting=meeting)
    item.refresh_from_db()
    choices = [VoteChoice.FOR] * 5 + [VoteChoice.AGAINST, VoteChoice.ABSTAIN]
    for member, choice in zip(present, choices, strict=True):
        services.vote_cast(actor=secretary, item=item, member=member, choice=choice, at=held)
    item.discussion = "居民代表、党员代表和物业负责人分别发表意见,形成处理方案。"
    item.save(update_fields=["discussion"])
    try:
        resolution = services.item_resolve(
            actor=secretary,
            item=item,
            decision=decision,
            text=text,
            responsible=secretary.full_name or secretary.username,
            due_on=timezone.localtime(held).date() + timedelta(days=14),
            at=held + timedelta(hours=1),
        )
    except Exception:
        return meeting
    if decision == Decision.COMMUNITY:
        services.resolution_progress(
            actor=secretary, resolution=resolution, status=FollowUp.DONE, note="已按决议落实"
        )
    Meeting.objects.filter(pk=meeting.pk).update(
        status=MeetingStatus.CLOSED, convened_at=held, closed_at=held + timedelta(hours=2)
    )
    return meeting


def _neighbours(code: str, count: int) -> list[User]:
    names = list(
        Person.objects.filter(grid_code__startswith=code, retired_on__isnull=True)
        .order_by("id")
        .values_list("name", flat=True)[10 : 10 + count]
    )
    names += [f"居民{n}" for n in range(len(names), count)]
    people = []
    for n, name in enumerate(names, start=2):
        user = User(username=f"resident{n}", full_name=name, role=Role.RESIDENT)
        user.set_password(DEMO_PASSWORD)
        user.save()
        # Some neighbours are confirmed by the secretary already, the others wait on the
        # residents page (participation: 居民社区确认).
        ResidentCommunity.objects.create(
            user=user,
            community_code=code,
            since=timezone.now(),
            status=ClaimStatus.CONFIRMED if n % 2 else ClaimStatus.PENDING,
        )
        people.append(user)
    return people


def build_councils(city: Any, *, stdout: TextIO | None = None) -> None:
    secretary = User.objects.filter(username="secretary").first()
    resident = User.objects.filter(username="resident").first()
    staff: dict[str, list[User]] = {}
    for user in User.objects.filter(role__in=(Role.SECRETARY, Role.CADRE)).prefetch_related(
        "scopes"
    ):
        for code in user.scope_codes:
            staff.setdefault(code[:12], []).append(user)
    for community in city.communities:
        council = Council.objects.create(
            community_code=community.code,
            name=f"{community.short_name or community.name}居民议事会",
            support_threshold=THRESHOLD,
        )
        _members(council, city, staff.get(community.code, []))
    if secretary is None or not secretary.scope_codes:
        return
    code = secretary.scope_codes[0]
    council = Council.objects.get(community_code=code, retired_on__isnull=True)
    cases = _council_cases(code, secretary, 2)
    plans = [
        (Decision.COMMUNITY, "由社区牵头,物业配合,两周内完成清理并设置提示牌。"),
        (Decision.RESOLVED, "经协商,楼栋居民轮流值守,物业每周巡查一次,问题已解决。"),
    ]
    months: set[date] = set()
    for case, (decision, text) in zip(cases, plans, strict=False):
        meeting = _past_meeting(council, secretary, case, decision, text)
        if meeting is not None:
            held = timezone.localtime(meeting.held_at).date()
            months.add(held.replace(day=1))
    this_month = timezone.localdate().replace(day=1)
    for month in months - {this_month}:
        publish_disclosure(month, codes=[code, code[:9]])

    if resident is not None:
        ResidentCommunity.objects.update_or_create(
            user=resident,
            defaults={
                "community_code": code,
                "since": timezone.now(),
                "status": ClaimStatus.CONFIRMED,
            },
        )
        neighbours = _neighbours(code, 4)
        ready = services.proposal_create(
            actor=resident,
            title="小区东门加装路灯",
            description="东门到 3 栋之间晚上没有照明,老人出行不便,建议加装两盏路灯。",
            address="小区东门至 3 栋",
        )
        for neighbour in neighbours[:THRESHOLD]:
            services.proposal_support(actor=neighbour, proposal=ready)
        services.proposal_create(
            actor=resident,
            title="楼下空地改建休闲座椅",
            description="5 栋楼下空地闲置,建议设置几组座椅,方便居民休息。",
        )
        collecting = services.proposal_create(
            actor=neighbours[0],
            title="规范电动车停放",
            description="单元门口电动车乱停,影响通行,建议划定停放区域。",
        )
        services.proposal_support(actor=resident, proposal=collecting)
        upcoming = services.meeting_draft(
            actor=secretary,
            council=council,
            held_at=timezone.now() + timedelta(days=5),
            place="社区党群服务中心议事厅",
        )
        ready.refresh_from_db()
        services.item_add(actor=secretary, meeting=upcoming, proposal=ready)
        for case in Case.objects.filter(status=CaseStatus.COUNCIL, grid_code__startswith=code)[:1]:
            services.item_add(actor=secretary, meeting=upcoming, case=case)
    if stdout is not None:
        stdout.write(
            f"议事会:{Council.objects.count()} 个,会议 {Meeting.objects.count()} 场"
            f"(居民 resident2~resident5 可支持议题,密码同上)。\n"
        )
