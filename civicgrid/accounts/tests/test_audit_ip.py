"""The audit trail stores a valid client address from core.client_ip, never header text."""

from typing import Any

import pytest
from django.test import RequestFactory, override_settings

from civicgrid.core.audit import audit_record
from civicgrid.core.models import AuditEntry
from civicgrid.testing.users import RoleUsers


def record(users: RoleUsers, **meta: Any) -> AuditEntry:
    req = RequestFactory().get("/", **meta)
    entry = audit_record(actor=users.cadre, action="unmask", target=users.cadre, request=req)
    return AuditEntry.objects.get(pk=entry.pk)


@pytest.mark.django_db
def test_a_forwarded_header_is_not_believed_without_a_proxy(users: RoleUsers) -> None:
    entry = record(users, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="8.8.8.8")
    assert entry.ip == "203.0.113.7"


@pytest.mark.django_db
@override_settings(TRUSTED_PROXY_COUNT=1)
def test_junk_in_the_forwarded_header_is_never_stored(users: RoleUsers) -> None:
    entry = record(users, REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="' OR 1=1 --")
    assert entry.ip == "10.0.0.5"


@pytest.mark.django_db
def test_no_address_is_stored_as_null(users: RoleUsers) -> None:
    entry = record(users, REMOTE_ADDR="garbage")
    assert entry.ip is None
