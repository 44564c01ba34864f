"""Demo data of the community portal: every grid worker's published card (a 0851 office line,
never their account's phone), notices across communities (one pinned, one awaiting review, one
expired) and the disclosure of the last two closed months."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any, TextIO

from django.utils import timezone

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import User
from civicgrid.geo.models import Region
from civicgrid.participation.choices import NoticeKind, NoticeStatus
from civicgrid.participation.disclosure import previous_months, publish_disclosure
from civicgrid.participation.models import GridWorkerCard, Notice, NoticeTarget

HOURS = [
    "工作日 8:30-17:30",
    "工作日 9:00-18:00,周六 9:00-12:00",
    "每天 8:00-20:00(午休 12:00-14:00)",
]

NOTICES = [
    (
        "关于开展冬季消防安全检查的通知",
        "各位居民:\n本周起网格员将入户检查电动车充电、燃气使用情况,请予以配合。\n如有疑问请联系所在网格网格员。",
        NoticeKind.NOTICE,
    ),
    ("停水通知", "因供水管网维修,本周六 9:00-17:00 小区停水,请提前储水。", NoticeKind.NOTICE),
    (
        "城乡居民医保缴费政策解读",
        "2027 年度城乡居民基本医疗保险开始缴费,个人缴费标准、缴费渠道和截止时间已张贴在社区公告栏,也可到社区服务站咨询。",
        NoticeKind.POLICY,
    ),
    (
        "垃圾分类宣传周活动",
        "本月第三周社区将开展垃圾分类宣传,欢迎居民参加,现场可领取分类垃圾袋。",
        NoticeKind.POLICY,
    ),
    (
        "老年人高龄补贴申领提醒",
        "年满 80 周岁的户籍老人可到社区服务站申领高龄补贴,请携带身份证和户口本。",
        NoticeKind.POLICY,
    ),
    (
        "社区议事会征集议题",
        "社区议事会下月召开,欢迎居民通过网格员或社区服务站提出议题。",
        NoticeKind.NOTICE,
    ),
    (
        "防范电信诈骗提醒",
        "近期冒充客服退款的诈骗高发,请勿向陌生人转账,接到可疑电话可拨打 96110 咨询。",
        NoticeKind.POLICY,
    ),
    (
        "楼道杂物清理通知",
        "为消除消防隐患,请各楼栋居民于本月底前清理楼道堆放的杂物。",
        NoticeKind.NOTICE,
    ),
]


def build_participation(city: Any, stdout: TextIO | None = None) -> dict[str, int]:
    rng = random.Random(city.rng.randint(0, 2**31))
    today = timezone.localdate()
    cards = 0
    for worker in User.objects.filter(role=Role.GRID_WORKER).order_by("pk"):
        GridWorkerCard.objects.update_or_create(
            user=worker,
            defaults={
                "public_phone": f"0851-8{rng.randint(5000000, 8999999)}",
                "service_hours": rng.choice(HOURS),
                "published": True,
            },
        )
        cards += 1

    staff = {
        u.role: u
        for u in User.objects.filter(role__in=[Role.CADRE, Role.SECRETARY, Role.COMMAND]).order_by(
            "pk"
        )
    }
    cadre, secretary, command = (
        staff.get(Role.CADRE),
        staff.get(Role.SECRETARY),
        staff.get(Role.COMMAND),
    )
    notices = 0
    if cadre and secretary and command:
        home = secretary.scope_codes[0]
        street_code = command.scope_codes[0]
        neighbours = list(
            Region.objects.filter(
                level="community", code__startswith=street_code, retired_on__isnull=True
            )
            .exclude(code=home)
            .order_by("code")[:3]
        )
        for index, (title, body, kind) in enumerate(NOTICES):
            if index in (0, 1, 2, 6):
                target, author, reviewer = home, cadre, secretary
            elif index == 3:
                target, author, reviewer = street_code, command, command
            else:
                target = neighbours[(index - 4) % len(neighbours)].code if neighbours else home
                author = reviewer = command
            status = NoticeStatus.PUBLISHED
            starts = today - timedelta(days=3 * index + 1)
            ends = starts + timedelta(days=30)
            if index == 6:  # awaiting the secretary's review
                status = NoticeStatus.PENDING
            if index == 7:  # over: hidden from residents, kept for the record
                starts, ends = today - timedelta(days=60), today - timedelta(days=30)
            notice = Notice.objects.create(
                kind=kind,
                title=title,
                body=body,
                scope_code=target,
                starts_on=starts,
                ends_on=ends,
                pinned=index == 0,
                status=status,
                created_by=author,
                reviewed_by=reviewer if status == NoticeStatus.PUBLISHED else None,
                published_at=timezone.now() if status == NoticeStatus.PUBLISHED else None,
                read_count=rng.randint(5, 200) if status == NoticeStatus.PUBLISHED else 0,
            )
            region = Region.objects.filter(code=target).first()
            NoticeTarget.objects.create(
                notice=notice, code=target, name=region.short_name if region else target
            )
            notices += 1

    months = previous_months(today, 2)
    for month in months:
        publish_disclosure(month)
    if stdout is not None:
        stdout.write(
            f"社区服务:{cards} 张网格员公示卡,{notices} 条公告,{len(months)} 个月的信息公开。"
        )
    return {"cards": cards, "notices": notices}
