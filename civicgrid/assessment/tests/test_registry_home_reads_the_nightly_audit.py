"""The registry home of a street or wider shows last night's counts and its lowest-scoring
grids from the completeness snapshot (counting and auditing a city took 30–44 s); a
community's home is counted and audited live."""

from typing import Any

import pytest
from django.utils import timezone

from civicgrid.assessment.completeness import record_completeness
from civicgrid.assessment.models import CompletenessSnapshot
from civicgrid.registry.tests.factories import make_person
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db


def test_a_street_sees_last_nights_counts_and_weakest_grids(
    client: Any, city: Any, users: RoleUsers
) -> None:
    make_person(city.grids["a1_west"], name="甲")
    make_person(city.grids["a1_west"], name="乙")
    record_completeness()
    # One grid scored lowest that night; a person added since is not in the night's counts.
    CompletenessSnapshot.objects.update(score=90)
    CompletenessSnapshot.objects.filter(grid_code=city.grids["a1_east"].code).update(score=12)
    make_person(city.grids["a1_west"], name="丙")
    client.force_login(users.command)
    response = client.get("/registry/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f"以上数字与下表均为 {timezone.localdate():%Y-%m-%d} 夜间核查的结果" in page
    assert "完整度得分最低的网格" in page
    assert response.context["counts"]["people"] == 2
    grids = response.context["grids"]
    assert grids[0].code == city.grids["a1_east"].code
    assert grids[0].score == 12
    assert grids[0].name == city.grids["a1_east"].name
    assert [g.score for g in grids] == sorted(g.score for g in grids)
    assert all(g.code.startswith(users.command.scope_codes[0]) for g in grids)


def test_a_community_secretary_is_counted_live(client: Any, city: Any, users: RoleUsers) -> None:
    make_person(city.grids["a1_west"], name="甲")
    record_completeness()
    make_person(city.grids["a1_west"], name="丙")
    client.force_login(users.secretary)
    response = client.get("/registry/")
    assert response.context["counts"]["people"] == 2
    assert "夜间核查" not in response.content.decode()


def test_without_a_snapshot_a_street_is_counted_live(
    client: Any, city: Any, users: RoleUsers
) -> None:
    make_person(city.grids["a1_west"], name="甲")
    client.force_login(users.command)
    response = client.get("/registry/")
    assert response.context["counts"]["people"] == 1
    assert "完整度得分最低的网格" not in response.content.decode()
