"""Demo data of 志愿服务: teams in every demo community; about thirty volunteers in the first
communities, drawn from the ledger where it makes sense (party members in the 党员先锋队,
people over 60 in the 为老服务队); past activities with attendance and hours over the last
months; upcoming ones with sign-ups, the demo resident signed up to one."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, TextIO

from django.db.models import Q
from django.utils import timezone
from shapely.geometry import shape

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import User
from civicgrid.core.pii import blind_index
from civicgrid.participation.volunteers.choices import ActivityStatus, CheckinMethod, TeamKind
from civicgrid.participation.volunteers.models import Activity, Signup, Team, Volunteer

TEAMS = [
    ("党员先锋队", TeamKind.PARTY, "社区党员组成,带头参与环境整治、矛盾调解和应急值守。"),
    ("为老服务队", TeamKind.ELDERLY, "为独居、高龄老人提供探访、代购、陪诊等服务。"),
    ("环保志愿队", TeamKind.ENVIRONMENT, "垃圾分类引导、楼道清理和河道巡护。"),
]
SKILLS = ["理发", "电工", "医护", "法律咨询", "摄影", "书法", "驾驶", "心理疏导", "", ""]
PAST = [
    ("环保志愿队", "小区环境卫生大扫除", "小区中心广场", 2.5),
    ("为老服务队", "独居老人入户探访", "社区服务站集合", 2),
    ("党员先锋队", "主题党日:楼道杂物清理", "各楼栋单元门口", 3),
    ("环保志愿队", "垃圾分类宣传引导", "小区垃圾分类投放点", 2),
    ("为老服务队", "重阳节敬老慰问", "社区老年活动中心", 3),
    ("党员先锋队", "冬季消防安全巡查", "社区服务站", 2),
]
UPCOMING = [
    ("环保志愿队", "周末河道清洁行动", "南明河沿岸步道入口", 3, 12),
    ("为老服务队", "义诊与健康讲座", "社区老年活动中心", 2, 8),
    ("党员先锋队", "文明交通劝导", "小区东门路口", 2, 6),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗高林"
GIVEN = [
    "建国",
    "秀英",
    "志强",
    "桂兰",
    "海燕",
    "丽华",
    "明",
    "伟",
    "静",
    "芳",
    "晓东",
    "玉梅",
    "国华",
    "春燕",
    "德胜",
    "淑珍",
    "小红",
    "文斌",
]


def _centre(community: Any) -> tuple[float | None, float | None]:
    if not community.boundary:
        return None, None
    point = shape(community.boundary).centroid
    return round(point.y, 6), round(point.x, 6)


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randint(100000000, 999999999)}"


def _volunteer(community: Any, name: str, rng: random.Random, **fields: Any) -> Volunteer:
    phone = _phone(rng)
    return Volunteer.objects.create(
        community_code=community.code,
        name=name,
        phone=phone,
        phone_index=blind_index(phone, purpose="volunteer-phone"),
        skills=rng.choice(SKILLS),
        joined_on=timezone.localdate() - timedelta(days=rng.randint(60, 900)),
        **fields,
    )


def _people(community: Any) -> Any:
    from civicgrid.registry.models import Person

    return Person.objects.filter(grid_code__startswith=community.code, retired_on__isnull=True)


def _recruit(community: Any, teams: dict[str, Team], rng: random.Random, count: int) -> list[Any]:
    """Party members for the 党员先锋队, people over 60 for the 为老服务队, adults of working
    age for the 环保志愿队; invented names when the ledger has too few."""
    today = timezone.localdate()
    sixty = today.replace(year=today.year - 60)
    adult = today.replace(year=today.year - 18)
    old = today.replace(year=today.year - 75)
    people = _people(community)
    picks = [
        (
            "党员先锋队",
            people.filter(is_party_member=True, birth_date__lte=adult, birth_date__gt=old),
        ),
        (
            "为老服务队",
            people.filter(
                birth_date__lte=sixty, birth_date__gte=sixty.replace(year=sixty.year - 15)
            ),
        ),
        ("环保志愿队", people.filter(birth_date__lte=adult, birth_date__gt=sixty)),
    ]
    made: list[Volunteer] = []
    share = max(count // 3, 1)
    for team_name, rows in picks:
        chosen = list(rows.order_by("pk")[: share * 3])
        rng.shuffle(chosen)
        for person in chosen[:share]:
            v = _volunteer(community, person.name, rng, person=person)
            v.teams.add(teams[team_name])
            made.append(v)
        for _n in range(share - min(share, len(chosen))):
            v = _volunteer(community, rng.choice(SURNAMES) + rng.choice(GIVEN), rng)
            v.teams.add(teams[team_name])
            made.append(v)
    for team_name, team in teams.items():
        members = [v for v in made if team in v.teams.all()]
        if members:
            team.leader = members[0]
            team.save(update_fields=["leader"])
        del team_name
    return made


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _past(
    community: Any,
    teams: dict[str, Team],
    members: dict[str, list[Volunteer]],
    author: Any,
    rng: random.Random,
) -> int:
    today = timezone.localdate()
    lat, lng = _centre(community)
    made = 0
    for weeks_ago in range(2, 18, 2):
        team_name, title, place, hours = PAST[(weeks_ago // 2) % len(PAST)]
        day = today - timedelta(weeks=weeks_ago, days=rng.randint(0, 3))
        start = _at(day, rng.choice([9, 14]))
        end = start + timedelta(hours=hours)
        pool = members[team_name] or [v for vs in members.values() for v in vs]
        attendees = rng.sample(pool, k=min(len(pool), rng.randint(3, 8)))
        activity = Activity.objects.create(
            team=teams[team_name],
            community_code=community.code,
            title=title,
            date=day,
            starts_at=start.time(),
            ends_at=timezone.localtime(end).time(),
            place=place,
            lat=lat,
            lng=lng,
            places=len(attendees) + rng.randint(0, 4),
            description="集合后分组进行,活动结束由组织者结项记入服务时长。",
            status=ActivityStatus.CLOSED,
            created_by=author,
            closed_by=author,
            closed_at=end + timedelta(hours=1),
        )
        rows = []
        for v in attendees:
            came = rng.random() < 0.9
            rows.append(
                Signup(
                    activity=activity,
                    volunteer=v,
                    signed_by=author,
                    checked_in_at=start - timedelta(minutes=rng.randint(0, 20)) if came else None,
                    checkin_method=rng.choice([CheckinMethod.SELF, CheckinMethod.ORGANISER])
                    if came
                    else "",
                    hours=Decimal(str(hours)) if came else None,
                )
            )
        Signup.objects.bulk_create(rows)
        made += 1
    return made


def _upcoming(
    community: Any,
    teams: dict[str, Team],
    members: dict[str, list[Volunteer]],
    author: Any,
    rng: random.Random,
    resident: Any,
    case: Any,
) -> int:
    today = timezone.localdate()
    lat, lng = _centre(community)
    made = 0
    for index, (team_name, title, place, hours, places) in enumerate(UPCOMING):
        day = today + timedelta(days=3 + index * 4)
        start = _at(day, 9)
        activity = Activity.objects.create(
            team=teams[team_name],
            community_code=community.code,
            title=title,
            date=day,
            starts_at=start.time(),
            ends_at=(start + timedelta(hours=hours)).time(),
            place=place,
            lat=lat,
            lng=lng,
            places=places,
            description="请穿着舒适的衣服,提前 10 分钟到场签到。",
            case=case if (index == 0 and case is not None) else None,
            created_by=author,
        )
        pool = members[team_name]
        taken = rng.sample(pool, k=min(len(pool), places - 2))
        Signup.objects.bulk_create(
            [Signup(activity=activity, volunteer=v, signed_by=author) for v in taken]
        )
        if index == 0 and resident is not None:
            mine = Volunteer.objects.create(
                community_code=community.code,
                user=resident,
                name=resident.full_name or resident.username,
                skills="摄影",
            )
            mine.teams.add(teams[team_name])
            Signup.objects.create(activity=activity, volunteer=mine, signed_by=resident)
        made += 1
    return made


def _environment_case(community: Any) -> Any:
    """An open 环境卫生 case of the community, for the clean-up to point at (if there is one)."""
    from civicgrid.cases.models import Case

    return (
        Case.objects.filter(grid_code__startswith=community.code)
        .filter(Q(category__name__contains="环境") | Q(category__name__contains="垃圾"))
        .order_by("-pk")
        .first()
    )


def build_volunteers(city: Any, stdout: TextIO | None = None) -> dict[str, int]:
    rng = random.Random(city.rng.randint(0, 2**31))
    staff = {
        u.role: u for u in User.objects.filter(role__in=[Role.SECRETARY, Role.CADRE]).order_by("pk")
    }
    author = (
        staff.get(Role.CADRE) or staff.get(Role.SECRETARY) or User.objects.order_by("pk").first()
    )
    resident = User.objects.filter(username="resident", role=Role.RESIDENT).first()
    counts = {"teams": 0, "volunteers": 0, "activities": 0}
    for position, community in enumerate(city.communities):
        teams = {}
        for name, kind, description in TEAMS:
            teams[name] = Team.objects.create(
                community_code=community.code, name=name, kind=kind, description=description
            )
        counts["teams"] += len(teams)
        if position >= 3 or author is None:
            continue  # teams everywhere; people and activities in the first communities
        volunteers = _recruit(community, teams, rng, 18 if position == 0 else 6)
        counts["volunteers"] += len(volunteers)
        members = {
            name: [v for v in volunteers if team in v.teams.all()] for name, team in teams.items()
        }
        counts["activities"] += _past(community, teams, members, author, rng)
        counts["activities"] += _upcoming(
            community,
            teams,
            members,
            author,
            rng,
            resident if position == 0 else None,
            _environment_case(community) if position == 0 else None,
        )
    if stdout is not None:
        stdout.write(
            f"志愿服务:{counts['teams']} 支队伍,{counts['volunteers']} 名志愿者,"
            f"{counts['activities']} 场活动。\n"
        )
    return counts
