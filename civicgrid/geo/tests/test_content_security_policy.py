"""A Content-Security-Policy without inline script is on every response (docs/architecture.md,
rule 7), and no template relies on inline script or inline event handlers."""

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from civicgrid.testing.users import RoleUsers


def _directives(response: Any) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, "no Content-Security-Policy header"
    parsed = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def _assert_strict(policy: dict[str, list[str]]) -> None:
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy["style-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]


@pytest.mark.django_db
def test_login_page_carries_a_strict_policy(client: Any) -> None:
    _assert_strict(_directives(client.get("/accounts/login/")))


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/geo/map/", "/geo/regions/", "/cases/list/"])
def test_staff_pages_carry_a_strict_policy(client: Any, users: RoleUsers, url: str) -> None:
    client.force_login(users.command)
    response = client.get(url)
    assert response.status_code == 200
    _assert_strict(_directives(response))


@pytest.mark.django_db
def test_api_answers_carry_the_policy_too(client: Any) -> None:
    _assert_strict(_directives(client.get("/api/v1/health")))


def test_map_tiles_host_is_allowed_as_an_image_source() -> None:
    from config.settings import _tile_source

    assert _tile_source("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png") == [
        "https://*.tile.openstreetmap.org"
    ]
    assert _tile_source("https://tiles.example.cn:8443/{z}/{x}/{y}.png") == [
        "https://tiles.example.cn:8443"
    ]
    assert _tile_source("/tiles/{z}/{x}/{y}.png") == []  # same origin: 'self' covers it
    assert _tile_source("") == []
    img = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"]
    assert "'self'" in img and "data:" in img and "blob:" in img


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.I)
# style-src has no 'unsafe-inline' either: a <style> block or style="" would be dropped.
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)


def test_no_template_has_inline_script_style_or_event_handlers() -> None:
    offenders = []
    for path in sorted(Path(settings.BASE_DIR, "templates").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, INLINE_HANDLER, JS_URL, INLINE_STYLE):
            for match in pattern.finditer(text):
                offenders.append(f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)[:60]}")
    assert offenders == []
