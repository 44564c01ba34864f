"""The installable app's own files: the service worker (JavaScript, scope /fieldwork/, a cache
version that follows the precached files, no CSP exception needed), the manifest, the icons,
and the manifest link only on a grid worker's pages."""

import json
from typing import Any

import pytest
from django.test import Client
from PIL import Image

from civicgrid.fieldwork import offline_views
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _shell(body: str) -> dict[str, Any]:
    first = body.split("\n", 1)[0]
    assert first.startswith("const CIVIC_SHELL = ")
    return dict(json.loads(first[len("const CIVIC_SHELL = ") :].rstrip(";")))


def test_the_service_worker_is_javascript_under_the_sites_csp(users: RoleUsers) -> None:
    response = Client().get("/fieldwork/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/fieldwork/"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    # A worker is ruled by script-src (default-src for the manifest): 'self' is enough.
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "default-src 'self'" in csp
    assert "unsafe-eval" not in csp and "unsafe-inline" not in csp
    shell = _shell(response.content.decode())
    assert "/static/js/fieldwork_outbox.js" in shell["assets"]
    assert "/static/vendor/leaflet/leaflet.js" in shell["assets"]
    assert "/static/css/civicgrid.css" in shell["assets"]
    for page in ("/fieldwork/", "/fieldwork/patrol/", "/fieldwork/report/", "/fieldwork/visits/"):
        assert page in shell["pages"]
    assert 'addEventListener("fetch"' in response.content.decode()


def test_the_cache_version_changes_with_a_precached_file(monkeypatch: Any) -> None:
    before = offline_views.shell()["version"]
    real = offline_views._read_static

    def changed(path: str) -> bytes | None:
        content = real(path)
        return (
            content + b"/* deploy */" if path == "js/fieldwork_outbox.js" and content else content
        )

    monkeypatch.setattr(offline_views, "_read_static", changed)
    assert offline_views.shell()["version"] != before
    monkeypatch.setattr(offline_views, "_read_static", real)
    assert offline_views.shell()["version"] == before


def test_the_manifest_installs_the_field_app(users: RoleUsers) -> None:
    response = Client().get("/fieldwork/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data = response.json()
    assert data["short_name"] == "社区E通"
    assert data["lang"] == "zh-Hans"
    assert data["start_url"] == "/fieldwork/" and data["scope"] == "/fieldwork/"
    assert data["display"] == "standalone"
    assert data["theme_color"] == "#c0392b"
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in data["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in data["icons"]:
        image = Client().get(icon["src"])
        assert image.status_code == 200
        with _open(image) as img:
            assert f"{img.width}x{img.height}" == icon["sizes"]


def _open(response: Any) -> Any:
    import io

    return Image.open(io.BytesIO(b"".join(response.streaming_content)))


def test_the_manifest_is_linked_only_for_grid_workers(users: RoleUsers) -> None:
    page = _signed_in(users.worker).get("/fieldwork/").content.decode()
    assert 'rel="manifest" href="/fieldwork/manifest.webmanifest"' in page
    assert 'name="theme-color"' in page
    other = _signed_in(users.command).get("/cases/", follow=True).content.decode()
    assert 'rel="manifest"' not in other
