"""A department reads no ledgers: the analysis pages do not offer it 台账与走访 (it would show
nothing); the command centre still gets it."""

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "offered"), [("department", False), ("command", True)])
def test_ledger_analysis_offered_only_to_ledger_readers(client, users, role, offered):
    client.force_login(getattr(users, role))
    page = client.get("/assessment/analysis/")
    assert page.status_code == 200
    body = page.content.decode()
    assert ("台账与走访" in body) is offered
