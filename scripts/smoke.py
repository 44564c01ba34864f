"""Smoke test of a running CivicGrid over HTTP, as a browser uses it: sign-in page with its
CSP, hashed static files, sign in as the demo command centre, the main pages and an API list.
Usage: python scripts/smoke.py http://127.0.0.1:8000 (exit status 1 on the first failure)."""

import http.cookiejar
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

base = sys.argv[1].rstrip("/")
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


def fetch(
    path: str, data: dict[str, str] | None = None, referer: str = ""
) -> tuple[int, dict, str]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(base + path, data=body)
    if referer:
        request.add_header("Referer", base + referer)
    try:
        with opener.open(request, timeout=30) as response:
            return (
                response.status,
                dict(response.headers),
                response.read().decode("utf-8", "replace"),
            )
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode("utf-8", "replace")


def check(ok: bool, what: str) -> None:
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        sys.exit(1)


for _ in range(60):  # the server may still be starting
    try:
        status, headers, page = fetch("/accounts/login/")
        break
    except OSError:
        time.sleep(1)
else:
    check(False, "server answers")
check(status == 200, "sign-in page 200")
check("script-src 'self'" in headers.get("Content-Security-Policy", ""), "CSP header")
css = re.search(r'href="(/static/css/civicgrid\.[0-9a-f]{12}\.css)"', page)
check(css is not None, "static file names carry a content hash")
status, headers, _ = fetch(css.group(1))  # type: ignore[union-attr]
check(
    status == 200 and "max-age=315360000" in headers.get("Cache-Control", ""),
    "hashed CSS served, cached for years",
)
token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
check(token is not None, "CSRF token in the form")
form = {"csrfmiddlewaretoken": token.group(1), "username": "command", "password": "civicgrid-demo"}  # type: ignore[union-attr]
status, _, page = fetch("/accounts/login/", form, referer="/accounts/login/")
check(status == 200 and "退出" in page, "command signs in")
for path in ("/", "/cases/", "/geo/map/", "/fieldwork/onduty/", "/registry/"):
    status, _, _ = fetch(path)
    check(status == 200, f"{path} 200")
status, _, body = fetch("/api/v1/cases?size=5")
check(status == 200 and "items" in json.loads(body), "API case list")
status, _, page = fetch("/no-such-page/")
check(status == 404 and "未找到" in page, "404 page in Chinese")
