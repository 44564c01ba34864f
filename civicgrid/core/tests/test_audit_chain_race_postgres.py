"""Entries written at the same instant from separate connections still form one line: the
chain head is taken under a row lock."""

import pytest
from django.db import connection

from civicgrid.cases.tests.test_race_postgres import run_together
from civicgrid.core.audit import audit_record
from civicgrid.core.audit_chain import verify
from civicgrid.core.models import AuditEntry
from civicgrid.testing.users import RoleUsers

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def test_concurrent_entries_form_one_chain(users: RoleUsers) -> None:
    def write(i: int) -> AuditEntry:
        return audit_record(
            actor=users.cadre, action="unmask", target=users.resident, reason=str(i)
        )

    results = run_together(*[lambda i=i: write(i) for i in range(6)])
    assert all(isinstance(r, AuditEntry) for r in results), results
    seqs = sorted(s for s in AuditEntry.objects.values_list("seq", flat=True) if s is not None)
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
    assert verify().ok
