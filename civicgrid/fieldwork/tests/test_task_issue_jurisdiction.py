"""An issuer targets only grids inside their own jurisdiction: one grid outside refuses the
whole task with a Chinese message and writes nothing; the checklist is generated per rented
dwelling (what the ledger marks 出租) of each target grid."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from civicgrid.fieldwork.models import GridTask, TaskItem, TaskPart
from civicgrid.fieldwork.tasks import task_issue
from civicgrid.registry.choices import Occupancy
from civicgrid.registry.tests.factories import make_building, make_dwelling, make_household


@pytest.mark.django_db
def test_a_grid_outside_the_issuers_jurisdiction_is_refused(city: Any, users: Any) -> None:
    inside, outside = city.grids["a1_west"], city.grids["a2"]
    with pytest.raises(ValidationError) as caught:
        task_issue(
            actor=users.secretary,
            title="消防通道清理",
            grid_ids=[inside.pk, outside.pk],
            deadline_days=3,
        )
    assert "不在您的管辖范围内" in " ".join(caught.value.messages)
    assert outside.code in " ".join(caught.value.messages)
    assert not GridTask.objects.exists() and not TaskPart.objects.exists()


@pytest.mark.django_db
def test_a_street_outside_is_refused_for_the_command(city: Any, users: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        task_issue(
            actor=users.command, title="全面排查", region_code=city.street_b.code, deadline_days=5
        )
    assert "不在您的管辖范围内" in " ".join(caught.value.messages)
    assert not GridTask.objects.exists()


@pytest.mark.django_db
def test_street_wide_rental_check_has_one_item_per_rented_dwelling(city: Any, users: Any) -> None:
    west, a2 = city.grids["a1_west"], city.grids["a2"]
    building = make_building(west, "幸福路1号")
    rented = make_dwelling(building, "101", occupancy=Occupancy.RENTED)
    make_dwelling(building, "102")  # lived in by its owner: no item
    make_household(rented)
    make_dwelling(make_building(a2, "和平路9号"), "201", occupancy=Occupancy.RENTED)
    task, created = task_issue(
        actor=users.command,
        title="出租房核查",
        region_code=city.street_a.code,
        deadline_days=5,
        checklist="rental",
    )
    assert created
    assert task.region_code == city.street_a.code
    assert set(task.parts.values_list("grid_code", flat=True)) == {
        g.code for g in city.grids.values() if g.code.startswith(city.street_a.code)
    }
    items = TaskItem.objects.filter(task=task).order_by("grid_code")
    assert [(i.grid_code, i.dwelling_id is not None) for i in items] == [
        (west.code, True),
        (a2.code, True),
    ]
    assert "幸福路1号" in items[0].label


@pytest.mark.django_db
def test_api_refuses_in_chinese(client: Any, city: Any, users: Any) -> None:
    client.force_login(users.cadre)
    response = client.post(
        "/api/v1/fieldwork/tasks/",
        {"title": "消防通道清理", "grids": [city.grids["b1"].pk], "deadline_days": 2},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "不在您的管辖范围内" in response.json()["detail"]
    assert not GridTask.objects.exists()
