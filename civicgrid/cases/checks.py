from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Warning, register
from django.db import DatabaseError


@register()
def categories_without_rule(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """cases.W001: a 小类 with no responsibility rule (neither its own nor its 大类's) would
    be taken in without a handling level or time limits."""
    from civicgrid.cases.models import Category, ResponsibilityRule

    try:
        ruled = set(
            ResponsibilityRule.objects.filter(retired_on__isnull=True).values_list(
                "category_id", flat=True
            )
        )
        missing = [
            str(c)
            for c in Category.objects.current().minors().order_by("code")
            if c.pk not in ruled and c.parent_id not in ruled
        ]
    except DatabaseError:
        return []  # before the first migrate there is nothing to check
    if not missing:
        return []
    return [
        Warning(
            "以下事件分类没有职责清单规则:" + "、".join(missing),
            hint="在管理后台“职责清单”为这些分类或其大类添加规则。",
            id="cases.W001",
        )
    ]
