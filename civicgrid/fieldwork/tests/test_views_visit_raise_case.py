"""转为事件 on the visit form: the problem found becomes a case through the one intake and is
linked to the visit; the success message names the case."""

from typing import Any

import pytest

from civicgrid.cases.models import Case, Category
from civicgrid.fieldwork.models import Visit
from civicgrid.fieldwork.tests.visit_page_helpers import due_person
from civicgrid.testing.case_pages import ensure_seeded_categories


@pytest.mark.django_db
def test_a_problem_found_becomes_a_linked_case(client: Any, users: Any, city: Any) -> None:
    ensure_seeded_categories()
    category = Category.objects.get(code="0102")
    person = due_person(city.grids["a1_west"], "李奶奶", tagged_days_ago=10)
    client.force_login(users.worker)
    response = client.post(
        "/fieldwork/visits/new/",
        {
            "person": person.pk,
            "purpose": "care",
            "findings": "楼道灯坏了,老人夜里出行不便",
            "raise_case": "on",
            "category": category.pk,
            "case_description": "楼道灯损坏",
        },
        follow=True,
    )
    html = response.content.decode()
    visit = Visit.objects.get()
    assert visit.case is not None, html
    assert Case.objects.get() == visit.case
    assert visit.case.number in html
