"""Every endpoint declares who may reach it, once (ARCHITECTURE rule 8, docs/architecture.md
"One way in").

A ``Policy`` says which roles may reach an endpoint and what kind of scoped data it touches:

- ``public=True``: anybody, signed in or not (the resident portal, tracking by number);
- ``roles``: the role values allowed (``None`` = any signed-in user); the superuser always
  passes the role gate, jurisdiction still applies through ``visible_to``/``access_*``;
- ``scope``: ``NONE`` (no scoped data), ``LIST`` (results filtered by ``visible_to``: an outsider
  gets an empty answer) or ``OBJECT`` (the URL names an object fetched through ``access_*``: an
  outsider gets 404, exactly as if it did not exist).

The same declaration enforces the role gate and is read by the generated permission matrix
(``civicgrid/core/tests/test_policy_matrix.py``), which fails on any URL pattern or API
operation that has none. HTML views use it as a decorator::

    @policy(roles=LEDGER_READERS, scope=OBJECT)
    def grid_ledger(request, pk): ...

API operations pass it as their ninja ``auth``::

    @router.get("/cases/{pk}", auth=policy(roles=CASE_READERS, scope=OBJECT).api)

Roles are plain strings here so that ``core`` never imports ``accounts``; the role sets
themselves live in ``civicgrid/accounts/choices.py``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja.errors import HttpError
from ninja.security import SessionAuth

NONE = "none"
LIST = "list"
OBJECT = "object"

# What a person is told when their role may not use a page or an operation. It is the same for
# every endpoint so a refusal never hints at what the endpoint would have shown.
ROLE_REFUSED = "您的角色无权使用此功能"

V = TypeVar("V", bound=Callable[..., Any])


@dataclass(frozen=True)
class Policy:
    roles: frozenset[str] | None = None
    public: bool = False
    scope: str = NONE
    # Public endpoints that take a POST from a browser without a session (tracking) keep CSRF;
    # API clients without a session cookie are exempt, as ninja's SessionAuth is.
    csrf: bool = True
    note: str = field(default="", compare=False)

    def permits(self, user: Any) -> bool:
        if self.public:
            return True
        if user is None or not user.is_authenticated:
            return False
        if self.roles is None or user.is_superuser:
            return True
        return getattr(user, "role", None) in self.roles

    def __call__(self, view: V) -> V:
        """Decorate an HTML view: anonymous → login page, wrong role → 403."""
        if self.public:
            view.policy = self  # type: ignore[attr-defined]
            return view

        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not self.permits(request.user):
                raise PermissionDenied(ROLE_REFUSED)
            return view(request, *args, **kwargs)

        wrapper.policy = self  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    @property
    def api(self) -> ApiPolicy:
        """The same declaration as a ninja ``auth`` object for an API operation."""
        return ApiPolicy(self)


# Who a request carrying an ``X-API-Key`` header is (docs/architecture.md "Outside systems").
# ``core`` knows nothing of keys: the integrations app registers the resolver from its
# AppConfig.ready(). It receives the request and the ``ApiPolicy`` of the operation (so it can
# tell which operation is asked for) and returns the key's service identity, or raises
# ``HttpError`` (401 unknown or revoked key, 403 operation not allowed, 429 rate limit).
ApiKeyResolver = Callable[[HttpRequest, "ApiPolicy"], Any]
_api_key_resolver: ApiKeyResolver | None = None

API_KEY_HEADER = "X-API-Key"


def register_api_key_resolver(resolver: ApiKeyResolver | None) -> None:
    global _api_key_resolver
    _api_key_resolver = resolver


def via_api_key(request: HttpRequest) -> bool:
    """Whether an outside system's key, not a person, made this request. A key may only
    write inside its jurisdiction; a person may report a place next door."""
    return bool(getattr(request, "via_api_key", False))


class ApiPolicy(SessionAuth):
    """Session authentication plus the role gate: 401 when not signed in, 403 for a role the
    policy does not admit. Public policies admit everybody (the operation still runs its own
    throttles). A request with an ``X-API-Key`` header is an outside system: the registered
    resolver turns the key into its service user, which then passes the same role gate and the
    same ``visible_to``/``access_*`` rules as a person; the session is ignored for it (no
    cookie is trusted, so CSRF does not apply)."""

    def __init__(self, declared: Policy) -> None:
        super().__init__(csrf=declared.csrf)
        self.policy = declared

    def __call__(self, request: HttpRequest) -> Any:
        if self.policy.public:
            # No session needed; CSRF is enforced by ninja's own check only for sessions.
            return request.user if request.user.is_authenticated else True
        if _api_key_resolver is not None and request.headers.get(API_KEY_HEADER):
            user = _api_key_resolver(request, self)
            if user is None:
                return None
            if not self.policy.permits(user):
                raise HttpError(403, ROLE_REFUSED)
            # Operations read ``request.user``: the key's identity replaces any session.
            request.user = user
            request.via_api_key = True  # type: ignore[attr-defined]
            return user
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if not user.is_authenticated:
            return None
        if not self.policy.permits(user):
            raise HttpError(403, ROLE_REFUSED)
        return user


def policy(
    *,
    roles: Iterable[str] | None = None,
    public: bool = False,
    scope: str = NONE,
    csrf: bool = True,
) -> Policy:
    if scope not in (NONE, LIST, OBJECT):
        raise ValueError(f"unknown scope kind {scope!r}")
    return Policy(
        roles=frozenset(str(r) for r in roles) if roles is not None else None,
        public=public,
        scope=scope,
        csrf=csrf,
    )


def declared_policy(view: Any) -> Policy | None:
    """The policy a view function declared (walking decorator layers), or ``None``."""
    seen = 0
    while view is not None and seen < 20:
        found = getattr(view, "policy", None)
        if isinstance(found, Policy):
            return found
        view = getattr(view, "__wrapped__", None)
        seen += 1
    return None
