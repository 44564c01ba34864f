"""The read-replica router's rules, decided without a replica (the real pair is in
test_replica_routing_postgres.py): only reads inside a @reads_replica view go to the replica,
never after a write, for a pinned browser, inside a transaction or for session-like state."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.db import OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import engines
from django.template.response import TemplateResponse
from django.test import RequestFactory
from ninja import Router
from ninja.testing import TestClient

from civicgrid.core import replica
from civicgrid.core.models import AuditEntry
from civicgrid.core.policy import declared_policy, policy
from civicgrid.core.replica import (
    PIN_COOKIE,
    REPLICA,
    ReplicaPinMiddleware,
    ReplicaRouter,
    marked_reads_replica,
    reads_replica,
)

router = ReplicaRouter()


@pytest.fixture(autouse=True)
def replica_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(replica, "replica_configured", lambda: True)
    monkeypatch.setattr(replica, "replica_usable", lambda: True)


def data(response: HttpResponse) -> Any:
    return json.loads(response.content)


def where(model: type[Any] = Group) -> str:
    return str(router.db_for_read(model))


@reads_replica
def heavy(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"read": where(), "session": where(Session)})


@reads_replica
def heavy_after_write(request: HttpRequest) -> JsonResponse:
    before = where()
    router.db_for_write(Group)
    return JsonResponse({"before": before, "after": where()})


def exact(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"read": where()})


def through_middleware(view: Any, request: HttpRequest) -> HttpResponse:
    response: HttpResponse = ReplicaPinMiddleware(view)(request)
    return response


def test_only_a_marked_view_reads_the_replica() -> None:
    request = RequestFactory().get("/")
    assert where() == "default"
    assert data(heavy(request)) == {"read": REPLICA, "session": "default"}
    assert data(through_middleware(exact, request)) == {"read": "default"}
    assert where() == "default"


def test_after_a_write_the_request_reads_the_primary() -> None:
    answer = through_middleware(heavy_after_write, RequestFactory().get("/"))
    assert data(answer) == {"before": REPLICA, "after": "default"}
    assert answer.cookies[PIN_COOKIE].value == "1"


def test_a_browser_that_wrote_is_pinned_to_the_primary() -> None:
    def write(request: HttpRequest) -> HttpResponse:
        router.db_for_write(Group)
        return HttpResponse()

    pinned = through_middleware(write, RequestFactory().get("/")).cookies[PIN_COOKIE]
    assert pinned["httponly"] and pinned["samesite"] == "Lax"
    # A POST pins even when its writes bypass the ORM; a session write alone does not pin.
    posted = through_middleware(lambda r: HttpResponse(), RequestFactory().post("/"))
    assert PIN_COOKIE in posted.cookies

    def session_only(request: HttpRequest) -> HttpResponse:
        router.db_for_write(Session)
        return HttpResponse()

    assert PIN_COOKIE not in through_middleware(session_only, RequestFactory().get("/")).cookies

    @reads_replica
    def audited_export(request: HttpRequest) -> JsonResponse:
        # An export audits itself first; its rows still come from the replica.
        router.db_for_write(AuditEntry)
        return JsonResponse({"read": where(), "audit": where(AuditEntry)})

    audited = through_middleware(audited_export, RequestFactory().get("/"))
    assert data(audited) == {"read": REPLICA, "audit": "default"}
    assert PIN_COOKIE not in audited.cookies

    request = RequestFactory().get("/")
    request.COOKIES[PIN_COOKIE] = "1"
    assert data(through_middleware(heavy, request))["read"] == "default"


def test_a_read_inside_a_primary_transaction_stays_there(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(connections["default"], "in_atomic_block", True)
    assert data(heavy(RequestFactory().get("/")))["read"] == "default"


def test_an_unusable_replica_is_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(replica, "replica_usable", lambda: False)
    assert data(heavy(RequestFactory().get("/")))["read"] == "default"


def test_a_replica_failing_mid_page_reruns_it_on_the_primary(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    downs: list[bool] = []
    monkeypatch.setattr(replica, "mark_replica_down", lambda: downs.append(True))
    tries: list[str] = []

    @reads_replica
    def flaky(request: HttpRequest) -> JsonResponse:
        tries.append(where())
        if tries[-1] == REPLICA:
            raise OperationalError("server closed the connection unexpectedly")
        return JsonResponse({"tries": tries})

    assert data(flaky(RequestFactory().get("/"))) == {"tries": [REPLICA, "default"]}
    assert downs == [True]

    @reads_replica
    def wrote_then_failed(request: HttpRequest) -> JsonResponse:
        where()
        router.db_for_write(Group)
        raise OperationalError("lost")

    # A page that wrote is never run twice.
    with pytest.raises(OperationalError):
        wrote_then_failed(RequestFactory().get("/"))


def test_migrations_only_on_the_primary() -> None:
    assert router.allow_migrate("default", "registry") is True
    assert router.allow_migrate(REPLICA, "registry") is False


def test_the_mark_is_found_under_the_policy_and_without_replica_is_a_no_op(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    declared = policy(public=True)(heavy)
    assert marked_reads_replica(declared) and declared_policy(declared) is not None
    assert not marked_reads_replica(exact)
    monkeypatch.setattr(replica, "replica_configured", lambda: False)
    assert data(heavy(RequestFactory().get("/")))["read"] == "default"


def test_an_api_operation_is_marked_the_same_way() -> None:
    api = Router()

    @api.get("/figures", auth=policy(public=True).api)
    @reads_replica
    def figures(request: HttpRequest, month: int = 1) -> dict[str, Any]:
        return {"read": where(), "month": month}

    assert TestClient(api).get("/figures?month=3").json() == {"read": REPLICA, "month": 3}


def test_a_template_response_renders_inside_the_marked_view() -> None:
    @reads_replica
    def lazy(request: HttpRequest) -> TemplateResponse:
        template = engines["django"].from_string("{{ read }}")
        return TemplateResponse(request, template, {"read": Lazy()})

    class Lazy:
        def __str__(self) -> str:
            return where()

    assert lazy(RequestFactory().get("/")).content == REPLICA.encode()
