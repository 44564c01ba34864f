"""A street's or wider workbench shows last night's stored completeness (summed over its grids
as the live audit sums them) instead of auditing millions of records while the person waits;
a community's is audited live, and a stale snapshot is not shown."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from civicgrid.assessment.completeness import record_completeness
from civicgrid.assessment.models import CompletenessSnapshot
from civicgrid.registry.hooks import StoredAudit
from civicgrid.registry.tests.factories import make_person
from civicgrid.registry.views import workbench_panel
from civicgrid.testing.users import RoleUsers

pytestmark = pytest.mark.django_db


def _audit(rf: Any, user: Any) -> Any:
    request = rf.get("/")
    request.user = user
    panel = workbench_panel(request)
    assert panel is not None
    return panel["data"]["audit"]


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


def test_the_home_page_says_which_nights_audit_it_shows(
    client: Any, city: Any, users: RoleUsers
) -> None:
    make_person(city.grids["a1_west"], name="甲")
    record_completeness()
    client.force_login(users.command)
    page = client.get("/").content.decode()
    assert f"{timezone.localdate():%Y-%m-%d} 夜间核查的结果" in page
