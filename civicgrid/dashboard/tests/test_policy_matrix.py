"""The permission matrix that writes itself (docs/architecture.md "One way in").

Every URL pattern and every API operation is found at run time. Each must declare its policy
(``civicgrid.core.policy``); the test then plays anonymous, an outsider of another street, the
auditor, a resident who does not own the object, a department the case was never dispatched to,
and an in-scope owner against it, and checks each answer against the declaration:

- anonymous: public endpoints answer, others send to the login page (HTML) or 401 (API);
- a role the policy does not admit: 403;
- an admitted role outside the object's jurisdiction: 404 on object endpoints, and lists never
  show the world's objects;
- the owner gets through the door (no 401/404, no role refusal);
- nobody ever gets a 500.

A new endpoint without a declaration, or without a sample object in
``civicgrid/testing/matrix.py``, fails here with a message saying what to add.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from civicgrid.core.policy import LIST, OBJECT, ROLE_REFUSED, Policy, declared_policy
from civicgrid.testing.matrix import API_SAMPLES, HTML_SAMPLES, MARK, World, api_sample, build_world
from config.api import api
from config.urls import EXTERNAL_POLICIES

API_ROOT = "/api/v1"


@dataclass(frozen=True)
class Endpoint:
    kind: str  # "html" or "api"
    key: str  # "namespace:name" or the API path template
    method: str
    policy: Policy | None
    params: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.kind} {self.method} {self.key}"


def _walk(patterns: list[Any], namespace: str = "") -> list[tuple[str, URLPattern]]:
    found: list[tuple[str, URLPattern]] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in ("admin", "api"):
                continue  # the admin site is checked on its own; the API by operation
            inner = ":".join(p for p in (namespace, pattern.namespace or "") if p)
            found += _walk(pattern.url_patterns, inner)
        else:
            found.append((namespace, pattern))
    return found


def html_endpoints() -> list[Endpoint]:
    endpoints = []
    for namespace, pattern in _walk(get_resolver().url_patterns):
        name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
        declared = declared_policy(pattern.callback) or EXTERNAL_POLICIES.get(name)
        params = tuple(pattern.pattern.regex.groupindex)
        endpoints.append(Endpoint("html", name, "AUTO", declared, params))
    return endpoints


def api_endpoints() -> list[Endpoint]:
    endpoints = []
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            full = re.sub("/+", "/", f"/{prefix}/{path}")
            for operation in path_view.operations:
                found = [getattr(cb, "policy", None) for cb in operation.auth_callbacks]
                declared = next((p for p in found if isinstance(p, Policy)), None)
                if declared is None:
                    declared = EXTERNAL_POLICIES.get(f"api:{full}")
                params = tuple(p.strip("{}") for p in full.split("/") if p.startswith("{"))
                for method in operation.methods:
                    endpoints.append(Endpoint("api", full, method, declared, params))
    return endpoints


ENDPOINTS = html_endpoints() + api_endpoints()


def test_every_endpoint_declares_a_policy() -> None:
    missing = [str(e) for e in ENDPOINTS if e.policy is None]
    assert not missing, (
        "These endpoints declare no policy (use civicgrid.core.policy: @policy(...) on the "
        "view, auth=policy(...).api on the operation): " + ", ".join(missing)
    )


def test_every_endpoint_with_parameters_has_a_sample() -> None:
    missing = [
        str(e)
        for e in ENDPOINTS
        if e.params and not (HTML_SAMPLES.get(e.key) if e.kind == "html" else api_sample(e.key))
    ]
    assert not missing, (
        "Say which object these endpoints are about in civicgrid/testing/matrix.py "
        "(HTML_SAMPLES / API_SAMPLES): " + ", ".join(missing)
    )


@pytest.fixture
def world(city: Any, users: Any) -> World:
    return build_world(city, users)


def _url(endpoint: Endpoint, world: World) -> str:
    if endpoint.kind == "html":
        sample = HTML_SAMPLES.get(endpoint.key)
        return reverse(endpoint.key, kwargs=sample(world) if sample else None)
    sample = api_sample(endpoint.key)
    values = sample(world) if sample else {}
    path = endpoint.key
    for name, value in values.items():
        path = path.replace("{" + name + "}", str(value))
    return API_ROOT + path


def _request(client: Client, endpoint: Endpoint, url: str) -> Any:
    if endpoint.kind == "api":
        if endpoint.method == "GET":
            return client.get(url)
        return client.generic(endpoint.method, url, data="{}", content_type="application/json")
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, {})
    return response


def _refused_by_role(response: Any) -> bool:
    if response.status_code != 403:
        return False
    return ROLE_REFUSED in response.content.decode(errors="replace")


def _rejected_by_schema(endpoint: Endpoint, response: Any) -> bool:
    if endpoint.kind != "api" or response.status_code != 422:
        return False
    return isinstance(response.json().get("detail"), list)


def _sent_to_login(response: Any) -> bool:
    login = resolve_url(settings.LOGIN_URL)
    return response.status_code == 302 and response.get("Location", "").startswith(login)


def _check(endpoint: Endpoint, who: str, user: Any, response: Any) -> None:
    policy = endpoint.policy
    assert policy is not None
    status = response.status_code
    label = f"{endpoint} as {who}: {status}"
    assert status < 500, label
    if who == "anonymous":
        if policy.public:
            assert status not in (401, 403) and not _sent_to_login(response), label
        elif endpoint.kind == "api":
            assert status == 401, label
        else:
            assert _sent_to_login(response), label
        return
    if not policy.permits(user):
        assert status == 403, label
        return
    if who == "owner":
        assert status not in (401, 404) and not _refused_by_role(response), label
        assert not _sent_to_login(response), label
        return
    if who == "auditor":
        return  # city-wide scope: where admitted, the auditor is inside the jurisdiction
    if policy.scope == OBJECT and endpoint.params:
        # The matrix sends an empty body; an operation whose schema rejects it answers 422
        # before any row is read, which tells nothing about the object either.
        assert status in (403, 404) or _rejected_by_schema(endpoint, response), label
    if policy.scope == LIST and endpoint.method in ("GET", "AUTO") and status == 200:
        assert MARK not in response.content.decode(errors="replace"), f"{label} leaks"


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_matrix(endpoint: Endpoint, world: World) -> None:
    if endpoint.policy is None:
        pytest.skip("no policy declared (reported by test_every_endpoint_declares_a_policy)")
    sample = HTML_SAMPLES if endpoint.kind == "html" else API_SAMPLES
    if endpoint.params and not (sample.get(endpoint.key) or api_sample(endpoint.key)):
        pytest.skip("no sample object (reported by test_every_endpoint_with_parameters_...)")
    url = _url(endpoint, world)
    players: list[tuple[str, Any]] = [
        ("anonymous", None),
        ("outsider", world.users.outsider),
        ("auditor", world.users.auditor),
        ("resident", world.resident2),
        ("department", world.dept2_user),
        ("owner", world.owner_for(endpoint.policy.roles)),
    ]
    for who, user in players:
        client = Client()
        if user is not None:
            client.force_login(user)
        _check(endpoint, who, user, _request(client, endpoint, url))


@pytest.mark.parametrize("who", ["anonymous", "worker", "auditor", "resident"])
def test_admin_site_is_for_the_system_administrator_only(who: str, users: Any) -> None:
    client = Client()
    if who != "anonymous":
        client.force_login(getattr(users, who))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_admin_site_opens_for_the_system_administrator(users: Any) -> None:
    users.sysadmin.is_staff = True
    users.sysadmin.save()
    client = Client()
    client.force_login(users.sysadmin)
    assert client.get("/admin/").status_code == 200
