"""A street's or wider workbench shows last night's stored completeness and headline counts
(summed over its grids as the live audit and counts sum them) instead of auditing and counting
millions of records while the person waits; a community's is audited live, and a stale
snapshot is not shown."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from civicgrid.assessment.completeness import record_completeness
from civicgrid.assessment.models import CompletenessSnapshot
from civicgrid.registry.hooks import StoredAudit
from civicgrid.registry.selectors import registry_counts
from civicgrid.registry.tests.factories import make_person
from civicgrid.registry.views import workbench_panel
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db


def _panel(rf: Any, user: Any) -> Any:
    request = rf.get("/")
    request.user = user
    panel = workbench_panel(request)
    assert panel is not None
    return panel["data"]


def _audit(rf: Any, user: Any) -> Any:
    return _panel(rf, user)["audit"]


def test_a_street_reads_the_snapshot_with_the_live_audits_figures(
    rf: Any, city: Any, users: RoleUsers
) -> None:
    make_person(city.grids["a1_west"], name="甲")
    make_person(city.grids["b1"], name="乙")  # another street: not in street a's sums
    live = _audit(rf, users.command)
    assert not isinstance(live, StoredAudit)
    record_completeness()
    cache.clear()  # the street's panel is kept five minutes
    stored = _audit(rf, users.command)
    assert isinstance(stored, StoredAudit)
    assert (stored.gaps, stored.score) == (live.gaps, live.score)
    assert stored.day == timezone.localdate()


def test_a_community_stays_live(rf: Any, city: Any, users: RoleUsers) -> None:
    make_person(city.grids["a1_west"], name="甲")
    record_completeness()
    assert not isinstance(_audit(rf, users.secretary), StoredAudit)


def test_a_stale_snapshot_is_not_shown(rf: Any, city: Any, users: RoleUsers) -> None:
    make_person(city.grids["a1_west"], name="甲")
    record_completeness(timezone.localdate() - timedelta(days=3))
    assert CompletenessSnapshot.objects.exists()
    assert not isinstance(_audit(rf, users.command), StoredAudit)


def test_a_street_reads_last_nights_counts_which_match_the_live_ones(
    rf: Any, city: Any, users: RoleUsers
) -> None:
    make_person(
        city.grids["a1_west"], name="甲", residency="floating", political_status="party_member"
    )
    make_person(city.grids["a1_west"], name="丙")
    make_person(city.grids["b1"], name="乙")  # another street
    live = registry_counts(users.command)
    record_completeness()
    make_person(city.grids["a1_west"], name="丁")  # after the night: not in its counts
    cache.clear()
    panel = _panel(rf, users.command)
    assert panel["counted_that_night"]
    assert panel["counts"] == live
    assert (live["people"], live["floating"], live["party_members"]) == (2, 1, 1)


def test_a_night_that_kept_no_counts_is_counted_live(rf: Any, city: Any, users: RoleUsers) -> None:
    make_person(city.grids["a1_west"], name="甲")
    record_completeness()
    CompletenessSnapshot.objects.update(people=None)  # as rows stored before counts were kept
    cache.clear()
    panel = _panel(rf, users.command)
    assert isinstance(panel["audit"], StoredAudit)
    assert not panel["counted_that_night"]
    assert panel["counts"] == registry_counts(users.command)


def test_the_home_page_says_the_counts_are_last_nights(
    client: Any, city: Any, users: RoleUsers
) -> None:
    make_person(city.grids["a1_west"], name="甲")
    record_completeness()
    client.force_login(users.command)
    page = client.get("/").content.decode()
    assert f"以上数字均为 {timezone.localdate():%Y-%m-%d} 夜间核查的结果" in page
    assert "每 5 分钟更新" not in page
