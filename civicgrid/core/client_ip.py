"""The one answer to "which address did this request come from" (docs/architecture.md
"Client address").

Login lockouts (django-axes) and the audit trail both ask here, so a lockout and the audit
entry of the same request name the same address. ``X-Forwarded-For`` is written by whoever
sends the request, so it is believed only as far as the deployment says reverse proxies
append to it:

- ``TRUSTED_PROXY_COUNT = 0`` and no ``TRUSTED_PROXIES`` (the default): the app is reached
  directly and only the socket address (``REMOTE_ADDR``) counts; any forwarded header is
  ignored.
- ``TRUSTED_PROXY_COUNT = n``: n proxies stand in front of the app, each appending the address
  it received the request from. The client is the n-th address counted from the right of
  ``X-Forwarded-For`` followed by ``REMOTE_ADDR``; whatever the client wrote to the left of it
  is never looked at.
- ``TRUSTED_PROXIES = [...]``: the same, with the proxies' addresses or networks given hop by
  hop (outermost first, the one that connects to the app last). When the hops do not match
  (someone reached the app around the proxy), the socket address is used.

django-ipware parses the addresses (ports, brackets, IPv4-mapped IPv6); the result is always a
valid IP address as text, or ``""`` when the request carries none.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from ipware import get_client_ip


def _valid(raw: object) -> str:
    """``raw`` as a normalised IP address, or ``""`` when it is not one."""
    if not isinstance(raw, str) or not raw.strip():
        return ""
    try:
        return str(ipaddress.ip_address(raw.strip()))
    except ValueError:
        return ""


def _ask_ipware(meta: dict[str, str], **options: object) -> str:
    probe = HttpRequest()
    probe.META = meta
    found, _routable = get_client_ip(probe, **options)  # type: ignore[arg-type]
    return _valid(found)


def client_ip(request: HttpRequest | None) -> str:
    """The client's address as configured (see the module docstring); ``""`` when unknown."""
    if request is None:
        return ""
    meta = getattr(request, "META", {}) or {}
    remote = _ask_ipware(
        {"REMOTE_ADDR": str(meta.get("REMOTE_ADDR", ""))},
        request_header_order=("REMOTE_ADDR",),
    ) or _valid(meta.get("REMOTE_ADDR"))
    trusted: list[str] = list(getattr(settings, "TRUSTED_PROXIES", []) or [])
    hops = len(trusted) or int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    if hops <= 0 or not remote or not isinstance(forwarded, str) or not forwarded.strip():
        return remote
    # The address the nearest proxy connected from closes the chain. Only the last ``hops + 1``
    # entries were written by our proxies (and the client's own address by the outermost one);
    # anything further left came from the client and is dropped before parsing, so a stray
    # quote or junk there cannot shift or hide the real entries.
    chain = [part.strip() for part in forwarded.split(",")] + [remote]
    if len(chain) < hops + 1:
        return remote
    tail = ", ".join(chain[-(hops + 1) :])
    options: dict[str, object] = {
        "request_header_order": ("HTTP_X_FORWARDED_FOR",),
        "proxy_order": "left-most",
        "strict": True,
    }
    if trusted:
        options["proxy_trusted_ips"] = trusted
    else:
        options["proxy_count"] = hops
    return _ask_ipware({"HTTP_X_FORWARDED_FOR": tail}, **options) or remote
