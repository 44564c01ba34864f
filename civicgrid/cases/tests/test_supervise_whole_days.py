"""A supervision or extension time in working days must be whole: a clear refusal, not a 500."""

from typing import Any

import pytest

from civicgrid.cases.choices import Action
from civicgrid.cases.workflow import TransitionError, case_transition
from civicgrid.testing.case_pages import walk


@pytest.mark.django_db
def test_supervision_in_half_days_is_refused_with_a_reason(case: Any, users: Any) -> None:
    case = walk(case, users, until=Action.DISPATCH)
    with pytest.raises(TransitionError, match="整数"):
        case_transition(
            case=case,
            action=Action.SUPERVISE,
            actor=users.command,
            note="催办",
            amount="1.5",
            unit="days",
        )


@pytest.mark.django_db
def test_api_answers_half_days_with_4xx(client: Any, case: Any, users: Any) -> None:
    case = walk(case, users, until=Action.DISPATCH)
    client.force_login(users.command)
    response = client.post(
        f"/api/v1/cases/{case.pk}/supervise",
        {"note": "催办", "amount": 1.5, "unit": "days"},
        content_type="application/json",
    )
    assert 400 <= response.status_code < 500
    assert "整数" in response.json()["detail"]
