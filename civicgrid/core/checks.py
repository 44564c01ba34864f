from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Warning, register
from django.db import DatabaseError

from civicgrid.core.worktime import calendar_gap_warning


@register()
def work_calendar_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """core.W001: the coming year's holidays are missing, so deadlines would skip weekends
    only."""
    try:
        warning = calendar_gap_warning()
    except DatabaseError:
        return []  # before the first migrate there is no table to read; nothing to say yet
    if warning is None:
        return []
    return [
        Warning(
            warning,
            hint="python manage.py import_work_calendar FILE.csv, or /admin/core/workcalendarday/",
            id="core.W001",
        )
    ]
