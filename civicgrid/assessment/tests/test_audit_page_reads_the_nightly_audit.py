"""The audit page (台账核查) of a street or wider shows last night's audit, the same rows the
live audit gives for that night; a community's is audited live; a jurisdiction with many grids
lists its lowest scores and leads to each community's grids."""

from typing import Any

import pytest
from django.utils import timezone

from civicgrid.assessment.completeness import record_completeness
from civicgrid.assessment.models import CompletenessSnapshot
from civicgrid.registry import views
from civicgrid.registry.selectors import AUDIT_COUNTS, completeness
from civicgrid.registry.tests.factories import make_person
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db


def _rows(rows: list[Any]) -> list[tuple[Any, ...]]:
    return [(r.code, r.name, r.score, *(getattr(r, n) for n in AUDIT_COUNTS)) for r in rows]


def test_a_street_sees_the_nights_audit(client: Any, city: Any, users: RoleUsers) -> None:
    make_person(city.grids["a1_west"], name="甲")
    live = completeness(users.command, users.command.scope_codes[0])
    record_completeness()
    make_person(city.grids["a1_west"], name="乙")  # after the night
    client.force_login(users.command)
    response = client.get("/registry/completeness/")
    assert response.status_code == 200
    assert f"以下为 {timezone.localdate():%Y-%m-%d} 夜间核查的结果" in response.content.decode()
    audit = response.context["audit"]
    for level in ("grids", "communities", "streets"):
        assert _rows(audit[level]) == _rows(live[level]), level
    # The community row leads to its grids, audited live there.
    community = city.grids["a1_west"].code[:12]
    assert f"/registry/completeness/?code={community}" in response.content.decode()
    narrowed = client.get(f"/registry/completeness/?code={community}")
    assert narrowed.context["night"] is None
    west = next(g for g in narrowed.context["grids"] if g.code == city.grids["a1_west"].code)
    assert west.people == 2


def test_a_community_secretary_is_audited_live(client: Any, city: Any, users: RoleUsers) -> None:
    make_person(city.grids["a1_west"], name="甲")
    record_completeness()
    make_person(city.grids["a1_west"], name="乙")
    client.force_login(users.secretary)
    response = client.get("/registry/completeness/")
    assert response.context["night"] is None
    assert sum(g.people for g in response.context["grids"]) == 2


def test_a_night_without_gaps_by_kind_is_audited_live(
    client: Any, city: Any, users: RoleUsers
) -> None:
    make_person(city.grids["a1_west"], name="甲")
    record_completeness()
    CompletenessSnapshot.objects.update(stale=None)  # as rows stored before they were kept
    client.force_login(users.command)
    assert client.get("/registry/completeness/").context["night"] is None


def test_many_grids_list_the_lowest_scores(
    client: Any, city: Any, users: RoleUsers, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "AUDIT_GRID_ROWS", 1)
    monkeypatch.setattr(views, "AUDIT_WEAKEST", 1)
    make_person(city.grids["a1_west"], name="甲")
    client.force_login(users.command)
    response = client.get("/registry/completeness/")
    all_grids = response.context["audit"]["grids"]
    assert len(all_grids) > 1
    lowest = min(all_grids, key=lambda g: (g.score, g.code))
    assert [g.code for g in response.context["grids"]] == [lowest.code]
    assert f"完整度得分最低的 1 个(共 {len(all_grids)} 个)" in response.content.decode()
