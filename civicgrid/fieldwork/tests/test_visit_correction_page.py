"""The visit form's 台账更正 section: the correction is saved with the visit, the visit page
says what was corrected with the phone masked, and a bad phone is a Chinese form error with
neither the visit nor the correction stored."""

from typing import Any

import pytest

from civicgrid.fieldwork.models import Visit
from civicgrid.fieldwork.tests.visit_page_helpers import due_person
from civicgrid.registry.models import Person

URL = "/fieldwork/visits/new/"


@pytest.fixture
def person(city: Any) -> Any:
    return due_person(city.grids["a1_west"], "李奶奶", tagged_days_ago=10)


@pytest.mark.django_db
def test_page_correction_shown_masked(client: Any, users: Any, person: Any) -> None:
    client.force_login(users.worker)
    page = client.get(f"{URL}?person={person.pk}")
    assert "台账更正" in page.content.decode()
    posted = {
        "person": person.pk,
        "purpose": "verify",
        "findings": "核实电话",
        "phone": "13912345678",
        "occupation": "退休",
    }
    assert client.post(URL, posted).status_code == 302
    visit = Visit.objects.get()
    assert visit.corrected_fields == ["occupation", "phone"]
    assert Person.objects.get(pk=person.pk).phone == "13912345678"
    html = client.get(f"/fieldwork/visits/{visit.pk}/").content.decode()
    assert "139****5678" in html
    assert "13912345678" not in html
    assert "退休" in html


@pytest.mark.django_db
def test_page_bad_phone_is_a_form_error(client: Any, users: Any, person: Any) -> None:
    client.force_login(users.worker)
    posted = {"person": person.pk, "purpose": "verify", "findings": "核实", "phone": "1391234"}
    response = client.post(URL, posted)
    assert response.status_code == 400
    assert "手机号码应为以1开头的11位数字" in response.content.decode()
    assert not Visit.objects.exists()
    assert Person.objects.get(pk=person.pk).phone != "1391234"
