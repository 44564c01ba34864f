"""Per-endpoint request body limits (docs/architecture.md "One way in": bad input never gives a
500). Django's DATA_UPLOAD_MAX_MEMORY_SIZE is one number for the whole site; an endpoint that
takes a GeoJSON cutter or a batch of track points states its own limit with ``body_limit``,
which answers before the body is read."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse


def body_limit(
    max_bytes: int,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Refuse a request body over ``max_bytes`` with 413 before it is read or parsed, and a body
    nested too deeply for the JSON parser with 400 (it would otherwise end in a server error)."""

    def decorator(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(run)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                return JsonResponse({"detail": "请求头 Content-Length 无效"}, status=400)
            if length > max_bytes:
                return JsonResponse(
                    {"detail": f"请求体过大:此接口上限 {max_bytes // 1024} KB"}, status=413
                )
            try:
                return run(request, *args, **kwargs)
            except RecursionError:
                return JsonResponse({"detail": "请求内容嵌套过深,无法解析"}, status=400)

        return wrapped

    return decorator
