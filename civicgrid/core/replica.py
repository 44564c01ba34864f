"""Read-only heavy pages read from a PostgreSQL streaming replica (docs/architecture.md "Read
replica", docs/scaling.md "Topology").

When ``DATABASE_REPLICA_URL`` is set the settings add a ``replica`` database alias, this
module's ``ReplicaRouter`` and ``ReplicaPinMiddleware``. Everything reads and writes on the
primary (``default``) except the reads made inside a view marked ``@reads_replica``: the
command screens, exports, reports and analysis, whose figures may be a few seconds old. The
mark is on the view, next to its ``@policy``, so a new heavy page opts in where it is written
and a page that must be exact (a work queue, a case, a form) cannot end up on the replica by
accident.

The rules, each for a reason:

- every write goes to the primary (the replica is read-only: a write there would fail);
- once a request has written, the rest of it reads on the primary (read-your-writes), and the
  response pins the browser to the primary for ``REPLICA_PIN_SECONDS`` with a cookie, so the
  page it is redirected to after a POST shows what it just saved even if the replica lags;
- a read inside an open transaction on the primary stays there (it must see that transaction);
- sessions, the cache table, lockouts, second factors, the task queue, the audit trail and
  idempotency keys are never read on the replica: they are state of the moment, not figures;
  writing them (an export's audit entry) does not count as the request writing;
- the replica is used only while it is reachable and at most ``REPLICA_MAX_LAG_SECONDS``
  behind (checked at most every ``REPLICA_CHECK_SECONDS`` per process); otherwise, and once
  more when a replica query fails mid-page, the page reads the primary (slower, never down);
- migrations run on the primary only; the replica receives them by replication.
"""

from __future__ import annotations

import functools
import inspect
import logging
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, OperationalError, connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PIN_COOKIE = "civicgrid_primary"
# Rows that describe "now" for one person or process, never figures for a page.
PRIMARY_ONLY_APPS = frozenset(
    {
        "sessions",
        "django_cache",
        "axes",
        "otp_totp",
        "otp_static",
        "django_otp",
        "django_tasks_database",
    }
)
# The audit trail (its chain head is read under a lock) and idempotency keys are read where
# they are written; writing them records the request itself (an export's audit entry), not
# data a later page shows, so it does not pin the request or the browser to the primary.
PRIMARY_ONLY_MODELS = frozenset({"core.auditentry", "core.auditchain", "core.idempotentrequest"})


def _primary_only(model: type[Any]) -> bool:
    meta = model._meta
    return meta.app_label in PRIMARY_ONLY_APPS or meta.label_lower in PRIMARY_ONLY_MODELS


# Seconds a standby is behind: 0 when it has replayed all it received (an idle primary is not
# "lag"); the primary itself (pg_is_in_recovery false) is never behind.
_LAG_SQL = """
SELECT CASE
  WHEN NOT pg_is_in_recovery() THEN 0
  WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
  ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
END
"""

log = logging.getLogger(__name__)

V = TypeVar("V", bound=Callable[..., Any])


@dataclass
class _Request:
    """What the router needs to know about the request being served."""

    pinned: bool = False  # the browser wrote a moment ago (cookie)
    wrote: bool = False  # this request wrote to the primary
    in_marked_view: bool = False  # inside a @reads_replica view, replica usable
    read_replica: bool = False  # a read went to the replica


_current: ContextVar[_Request | None] = ContextVar("civicgrid_replica_request", default=None)


ROUTER = "civicgrid.core.replica.ReplicaRouter"


def replica_configured() -> bool:
    """Routing is on: a replica alias and this router (the test settings leave the router out
    except in the routing tests, whose writes are committed and replicated)."""
    return REPLICA in settings.DATABASES and ROUTER in settings.DATABASE_ROUTERS


@dataclass
class _Health:
    checked_at: float = float("-inf")
    usable: bool = False


_health = _Health()


def mark_replica_down() -> None:
    """Read the primary until the next check (a replica query just failed); the broken
    connection is dropped so the next check opens a fresh one."""
    _health.checked_at = time.monotonic()
    _health.usable = False
    if REPLICA in settings.DATABASES:
        connections[REPLICA].close()


def reset_replica_health() -> None:
    _health.checked_at = float("-inf")


def replica_usable() -> bool:
    """Is the replica reachable and close enough behind? Asked at most every
    REPLICA_CHECK_SECONDS per process; the answer costs one short query on the replica."""
    if not replica_configured():
        return False
    now = time.monotonic()
    if now - _health.checked_at < settings.REPLICA_CHECK_SECONDS:
        return _health.usable
    usable = False
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(_LAG_SQL)
            lag = float(cursor.fetchone()[0])
        usable = lag <= settings.REPLICA_MAX_LAG_SECONDS
        if not usable:
            log.warning("read replica %.1f s behind: heavy pages read the primary", lag)
    except DatabaseError:
        log.warning("read replica unreachable: heavy pages read the primary", exc_info=True)
        mark_replica_down()
        return False
    _health.checked_at = now
    _health.usable = usable
    return usable


class ReplicaRouter:
    """Django database router: see the module docstring for the rules."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        state = _current.get()
        if state is None or not state.in_marked_view or state.wrote:
            return DEFAULT_DB_ALIAS
        if _primary_only(model):
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        state.read_replica = True
        return REPLICA

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        state = _current.get()
        if state is not None and not _primary_only(model):
            state.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # Both aliases hold the same rows: an object read on the replica may be related to (and
        # saved with) one from the primary.
        aliases = {DEFAULT_DB_ALIAS, REPLICA}
        if obj1._state.db in aliases and obj2._state.db in aliases:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS


def reads_replica(view: V) -> V:
    """Mark a read-only heavy view (HTML view or ninja operation, sync) whose figures may be
    a few seconds old: its reads go to the replica when one is configured and healthy. Put it
    directly under ``@policy`` (or under ``@router.get``)::

        @policy(roles=SCREEN_ROLES, scope=LIST)
        @reads_replica
        def command_screen(request): ...
    """

    if inspect.iscoroutinefunction(view):
        # The router's request state lives in a context variable set around a sync call.
        raise TypeError("@reads_replica marks sync views only")

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not replica_configured():
            return view(*args, **kwargs)
        state = _current.get()
        token = None
        if state is None:
            # No middleware around us (an API client without cookies, a test): this request
            # alone decides.
            state = _Request()
            token = _current.set(state)
        try:
            if (
                state.pinned
                or state.wrote
                or connections[DEFAULT_DB_ALIAS].in_atomic_block
                or not replica_usable()
            ):
                return view(*args, **kwargs)
            state.in_marked_view = True
            try:
                return _rendered(view(*args, **kwargs))
            except OperationalError:
                if not state.read_replica or state.wrote:
                    raise
                # The replica went away mid-page. A marked view only reads, so it can run
                # again, on the primary.
                log.warning("read replica failed mid-page: reading the primary", exc_info=True)
                mark_replica_down()
                state.in_marked_view = False
                return view(*args, **kwargs)
            finally:
                state.in_marked_view = False
        finally:
            if token is not None:
                _current.reset(token)

    wrapper.reads_replica = True  # type: ignore[attr-defined]
    wrapper.__signature__ = _resolved_signature(view)  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def _resolved_signature(view: Callable[..., Any]) -> inspect.Signature:
    """The view's signature with its string annotations (``from __future__ import
    annotations``) evaluated in the view's own module. django-ninja reads an operation's
    parameters from the signature and resolves strings in the *wrapper's* globals, this
    module's, where ``Query[StatsIn]`` means nothing. A name only imported for type checking
    stays a string (ninja never needs those: the request's type, return types)."""
    signature = inspect.signature(view)
    namespace = getattr(view, "__globals__", {})

    def resolved(annotation: Any) -> Any:
        if not isinstance(annotation, str):
            return annotation
        try:
            # The module's own annotation text, as typing.get_type_hints evaluates it.
            return eval(annotation, namespace)
        except Exception:
            return annotation

    return signature.replace(
        parameters=[
            p.replace(annotation=resolved(p.annotation)) for p in signature.parameters.values()
        ],
        return_annotation=resolved(signature.return_annotation),
    )


def _rendered(response: Any) -> Any:
    # A TemplateResponse renders after the view returns: render it here, while its template's
    # queries may still use the replica. (A streamed body is read later, on the primary.)
    if getattr(response, "is_rendered", True) is False:
        response.render()
    return response


def marked_reads_replica(view: Any) -> bool:
    """Did the view (or a layer under its decorators) declare ``@reads_replica``?"""
    for _ in range(20):
        if view is None:
            return False
        if getattr(view, "reads_replica", False):
            return True
        view = getattr(view, "__wrapped__", None)
    return False


class ReplicaPinMiddleware:
    """Tracks one request for the router and pins a browser that wrote to the primary for
    REPLICA_PIN_SECONDS (read-your-writes across the redirect after a POST). Outermost in
    MIDDLEWARE so that the session and everything else the request writes is seen."""

    SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        state = _Request(pinned=request.COOKIES.get(PIN_COOKIE) == "1")
        token = _current.set(state)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        # An unsafe method pins even when its writes bypassed the ORM (raw SQL, COPY).
        if state.wrote or request.method not in self.SAFE_METHODS:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
