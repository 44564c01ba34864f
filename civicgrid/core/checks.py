from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register
from django.db import DatabaseError

from civicgrid.core.worktime import calendar_gap_warning

KEY_HINT = (
    'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
)


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


@register()
def shared_cache_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """core.W002: in production the abuse limits (tracking, unmasking) need a cache every web
    worker shares; a per-process cache lets each worker count on its own."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if settings.DEBUG or not backend.endswith("LocMemCache"):
        return []
    return [
        Warning(
            "访问频率限制(公开查询、查看敏感信息)使用的缓存只在单个进程内,多进程部署时各进程分别计数。",
            hint="CACHE_BACKEND=django.core.cache.backends.db.DatabaseCache "
            "CACHE_LOCATION=civicgrid_cache, then python manage.py createcachetable",
            id="core.W002",
        )
    ]


@register()
def encryption_keys_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """core.E001: personal data cannot be stored or read without valid field keys. Checked at
    start-up, so a mistyped key stops the deployment instead of the first ID number typed."""
    from cryptography.fernet import Fernet

    keys = list(settings.FIELD_ENCRYPTION_KEYS)
    if not keys:
        return [
            Error("未设置 FIELD_ENCRYPTION_KEY(个人信息加密密钥)。", hint=KEY_HINT, id="core.E001")
        ]
    problems: list[CheckMessage] = []
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key.encode())
        except ValueError:
            problems.append(
                Error(
                    f"FIELD_ENCRYPTION_KEY 的第 {position} 个密钥无效(应为 32 字节的 urlsafe base64 Fernet 密钥)。",
                    hint=KEY_HINT,
                    id="core.E001",
                )
            )
    return problems


@register()
def base_map_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """core.E002: a base map setting that would leave every map blank or shifted."""
    problems: list[CheckMessage] = []
    if settings.MAP_BASE not in ("", "tianditu"):
        problems.append(
            Error(
                f"MAP_BASE={settings.MAP_BASE!r} 无效。",
                hint="MAP_BASE=tianditu (with TIANDITU_KEY), or leave it empty and set "
                "MAP_TILE_URL, or neither for the offline base layer",
                id="core.E002",
            )
        )
    if settings.MAP_BASE == "tianditu" and not settings.TIANDITU_KEY:
        problems.append(
            Error(
                "使用天地图底图需要 TIANDITU_KEY。",
                hint="https://console.tianditu.gov.cn",
                id="core.E002",
            )
        )
    if settings.MAP_TILE_CRS not in ("wgs84", "gcj02"):
        problems.append(
            Error(
                f"MAP_TILE_CRS={settings.MAP_TILE_CRS!r} 无效。",
                hint="wgs84 (天地图, OpenStreetMap) or gcj02 (高德, 腾讯)",
                id="core.E002",
            )
        )
    return problems
