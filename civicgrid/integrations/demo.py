"""Demo data for outside systems: a 12345 hotline key of the first street with a few work
orders (one urged, one whose category matched nothing), a revoked key, and requests that came
in through Open311. The keys' secrets are thrown away: the security administrator makes a
usable key at /integrations/keys/ (it is shown once)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, TextIO

from django.utils import timezone

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import User
from civicgrid.cases.choices import Channel
from civicgrid.cases.models import Category
from civicgrid.cases.services import case_report
from civicgrid.integrations.hotline import Order, hotline_order_receive
from civicgrid.integrations.keys import HOTLINE_ORDERS, OPEN311_POST, api_key_create, api_key_revoke
from civicgrid.integrations.models import ApiKey

ORDERS = [
    ("0102", "小区门口垃圾两天未清运,气味很大", False),
    ("违规养犬", "楼下有人遛狗不牵绳,孩子被吓到", False),
    ("夜间施工噪音", "工地晚上十一点后仍在施工", False),
    ("0102", "路边垃圾桶满溢,已反映过一次", True),
]


def build_integrations(city: Any, stdout: TextIO | None = None) -> dict[str, int]:
    secadmin = User.objects.filter(role=Role.SECADMIN).order_by("pk").first()
    command = (
        User.objects.filter(role=Role.COMMAND, scopes__code__regex=r"^[0-9]{9}$")
        .order_by("pk")
        .first()
    )
    if secadmin is None or command is None or ApiKey.objects.exists():
        return {}
    street = min((c for c in command.scope_codes if len(c) == 9), default="")
    if not street:
        return {}
    hotline, _secret = api_key_create(
        by=secadmin,
        name="12345 工单对接",
        owner_system="市12345政务服务便民热线",
        scopes=[street],
        operations=[HOTLINE_ORDERS],
        # No status push address: the demo has no hotline to receive it, and pushes to a
        # made-up one would only fill the outbox with failures (the security administrator
        # fills it in on the key's page when a real hotline is connected).
    )
    old, _secret = api_key_create(
        by=secadmin,
        name="旧版对接(已停用)",
        owner_system="市12345政务服务便民热线",
        scopes=[street],
        operations=[HOTLINE_ORDERS],
    )
    api_key_revoke(key=old, by=secadmin, reason="对接系统升级,旧密钥停用")
    open311, _secret = api_key_create(
        by=secadmin,
        name="随手拍",
        owner_system="“爽爽贵阳”随手拍应用",
        scopes=[street],
        operations=[OPEN311_POST],
        rate_per_minute=120,
    )
    now = timezone.now()
    for n, (category, content, urge) in enumerate(ORDERS, start=1):
        order = Order(
            order_no=f"GY{now:%Y%m%d}{n:05d}",
            received_at=now - timedelta(hours=30 - n * 5),
            caller_name="市民",
            caller_phone=f"1390000{n:04d}",
            address="辖区内(热线未提供坐标)",
            category=category,
            content=content,
            deadline=now + timedelta(days=3),
        )
        hotline_order_receive(key=hotline, order=order)
        if urge:
            hotline_order_receive(
                key=hotline,
                order=Order(**{**order.__dict__, "urge": True, "urge_note": "市民再次来电催办"}),
            )
    service = Category.objects.current().minors().filter(code="0102").first()
    published = 0
    if service is not None:
        for text in ("人行道上有一处井盖松动", "公园门口垃圾堆放"):
            case_report(
                channel=Channel.OPEN311,
                category=service,
                description=text,
                address="随手拍定位",
                actor=open311.service_user,
                at=now - timedelta(hours=2 + published),
            )
            published += 1
    if stdout is not None:
        stdout.write(
            f"外部系统:3 把 API 密钥(1 把已吊销),{len(ORDERS)} 张 12345 工单,"
            f"{published} 条 Open311 诉求。"
        )
    return {"keys": 3, "orders": len(ORDERS), "open311": published}
