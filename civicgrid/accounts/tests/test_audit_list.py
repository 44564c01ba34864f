from typing import Any

import pytest

from civicgrid.core.audit import audit_record
from civicgrid.testing.queries import count_queries
from civicgrid.testing.users import RoleUsers


@pytest.mark.django_db
def test_auditor_reads_the_trail(client: Any, users: RoleUsers) -> None:
    audit_record(
        actor=users.cadre, action="unmask", target=users.resident, field="phone", reason="上门核实"
    )
    client.force_login(users.auditor)
    response = client.get("/accounts/audit/")
    assert response.status_code == 200
    assert "上门核实" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["sysadmin", "cadre", "worker", "command"])
def test_other_roles_cannot_read_the_trail(client: Any, users: RoleUsers, role: str) -> None:
    client.force_login(getattr(users, role))
    assert client.get("/accounts/audit/").status_code == 403


@pytest.mark.django_db
def test_trail_page_query_count_does_not_grow(client: Any, users: RoleUsers) -> None:
    def add(n: int) -> None:
        for i in range(n):
            audit_record(actor=users.cadre, action="unmask", target=users.resident, reason=f"r{i}")

    add(5)
    client.force_login(users.auditor)
    few = count_queries(client, "/accounts/audit/?size=50")
    add(60)
    assert count_queries(client, "/accounts/audit/?size=50") == few <= 12
    body = client.get("/accounts/audit/?size=50").content.decode()
    assert body.count("<tr><td>") == 50
