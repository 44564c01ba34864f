from __future__ import annotations

import contextlib
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def paginate(request: HttpRequest, queryset: QuerySet[Any], per_page: int | None = None) -> Page:
    """One page of ``queryset``; a bad or too-large page number falls back to a valid one."""
    size = per_page or settings.PAGE_SIZE
    with contextlib.suppress(ValueError):
        size = min(int(request.GET.get("size", size)), 200)
    paginator = Paginator(queryset, max(size, 1))
    return paginator.get_page(request.GET.get("page"))
