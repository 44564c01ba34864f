"""A problem found on a visit becomes a case through the one intake (channel 网格员上报) and
is linked to the visit."""

import json
from typing import Any

from django.test import Client

from civicgrid.cases.choices import Channel
from civicgrid.fieldwork.models import Visit
from civicgrid.fieldwork.tests.visit_helpers import care_kind, tagged_person
from civicgrid.testing.cases import case_category, ensure_case_seeds
from civicgrid.testing.users import RoleUsers


def test_visit_raising_a_case_links_it(client: Client, city: Any, users: RoleUsers) -> None:
    ensure_case_seeds()
    person = tagged_person(city.grids["a1_west"], care_kind())
    client.force_login(users.worker)
    body = {
        "person": person.pk,
        "purpose": "care",
        "findings": "楼道灯坏了,老人夜间出行不便",
        "raise_case": {"category": case_category().pk, "description": "楼道灯损坏需维修"},
    }
    response = client.post(
        "/api/v1/fieldwork/visits", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    visit = Visit.objects.get()
    assert visit.case is not None
    assert visit.case.channel == Channel.GRID_WORKER
    assert response.json()["case_number"] == visit.case.number
