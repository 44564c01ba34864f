"""The list, the candidates page and a meeting's page cost the same number of queries
whatever the number of rows (docs/architecture.md rule 6)."""

from typing import Any

import pytest

from civicgrid.participation.joint import services
from civicgrid.participation.joint.testing import bounce, convened_meeting, to_street
from civicgrid.testing.cases import report_case
from civicgrid.testing.queries import count_queries


def _bounced(users: Any, zjj: Any) -> Any:
    case = to_street(report_case(users.worker), secretary=users.secretary)
    return bounce(case, command=users.command, passes=[(users.dept, users.department), zjj])


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_rows(client: Any, users: Any, zjj: Any) -> None:
    client.force_login(users.command)
    first = _bounced(users, zjj)
    meeting = convened_meeting(
        command=users.command, departments=[users.dept, zjj[0]], cases=[first]
    )
    services.decision_record(
        item=meeting.items.get(), actor=users.command, lead_department_id=zjj[0].pk,
        assist_department_ids=[users.dept.pk], due_days=5,
    )  # fmt: skip
    urls = ["/joint-meetings/", "/joint-meetings/candidates/", f"/joint-meetings/{meeting.pk}/"]
    before = [count_queries(client, url) for url in urls]
    more = [_bounced(users, zjj) for _ in range(3)]
    services.agenda_add(meeting=meeting, actor=users.command, cases=more)
    for item in meeting.items.exclude(case=first):
        services.decision_record(
            item=item, actor=users.command, lead_department_id=zjj[0].pk,
            assist_department_ids=[users.dept.pk], due_days=5,
        )  # fmt: skip
    convened_meeting(command=users.command, departments=[users.dept], cases=[more[0]])
    after = [count_queries(client, url) for url in urls]
    assert after == before
