"""One answer to "where did this request come from", believed only as far as the deployment
says proxies stand in front of the app."""

from typing import Any

import pytest
from django.http import HttpRequest
from django.test import RequestFactory, override_settings

from civicgrid.core.client_ip import client_ip


def request(remote: str = "203.0.113.7", forwarded: str | None = None) -> HttpRequest:
    extra: dict[str, Any] = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_a_proxy_only_the_socket_address_counts() -> None:
    assert client_ip(request(forwarded="1.2.3.4")) == "203.0.113.7"


def test_a_missing_or_broken_socket_address_gives_nothing() -> None:
    assert client_ip(request(remote="")) == ""
    assert client_ip(request(remote="not-an-ip")) == ""
    assert client_ip(None) == ""


@override_settings(TRUSTED_PROXY_COUNT=1)
@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("198.51.100.20", "198.51.100.20"),
        # Whatever the client wrote before our proxy's entry is ignored, junk included.
        ("6.6.6.6, 198.51.100.20", "198.51.100.20"),
        ('"6.6.6.6, 198.51.100.20', "198.51.100.20"),
        ("<script>, 198.51.100.20", "198.51.100.20"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        # An entry that is no address falls back to the socket address, never stored as text.
        ("unknown", "10.0.0.5"),
        ("", "10.0.0.5"),
    ],
)
def test_behind_one_proxy_the_entry_it_appended_counts(forwarded: str, expected: str) -> None:
    assert client_ip(request(remote="10.0.0.5", forwarded=forwarded)) == expected


@override_settings(TRUSTED_PROXIES=["10.0.0.0/24"])
def test_trusted_proxies_are_believed_only_when_the_request_comes_through_them() -> None:
    through = request(remote="10.0.0.5", forwarded="6.6.6.6, 198.51.100.20")
    assert client_ip(through) == "198.51.100.20"
    around = request(remote="203.0.113.7", forwarded="198.51.100.20")
    assert client_ip(around) == "203.0.113.7"


@override_settings(TRUSTED_PROXY_COUNT=2)
def test_two_proxies_count_two_entries_from_the_right() -> None:
    chain = "6.6.6.6, 198.51.100.20, 172.16.0.3"
    assert client_ip(request(remote="10.0.0.5", forwarded=chain)) == "198.51.100.20"
