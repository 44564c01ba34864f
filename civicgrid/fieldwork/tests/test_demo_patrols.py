"""The demo's patrols: every grid worker walks in their own grid, each past working day has a
一日双巡 verdict per worker, walks have realistic point counts, today shows patrols under way
(but not for the ``gridworker`` account, who starts their own), and the real rules find
flags in them."""

from typing import Any

import pytest
from django.db.models import Count
from django.utils import timezone

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import User
from civicgrid.dashboard.demo import build_accounts
from civicgrid.fieldwork import demo
from civicgrid.fieldwork.models import DailyCompliance, Patrol, PatrolFlag
from civicgrid.geo.demo import build_geo


def test_demo_patrols_look_like_real_field_work(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "WEEKS", 2)  # a holiday week alone has no workday
    city = build_geo(size_name="small", seed=2026)
    build_accounts(city)
    built = demo.build_fieldwork(city)
    workers = User.objects.filter(role=Role.GRID_WORKER)
    assert built["patrols"] > 0

    # Every grid worker walks, and only in their own grid.
    assert set(Patrol.objects.values_list("worker", flat=True)) == set(
        workers.values_list("pk", flat=True)
    )
    for patrol in Patrol.objects.select_related("worker")[:200]:
        assert patrol.grid_code in patrol.worker.scope_codes

    # A fix every ~20 s: 60 to about 250 points per finished walk, all counted.
    finished = Patrol.objects.filter(ended_at__isnull=False)
    counts = finished.annotate(n=Count("points")).values_list("n", "point_count")
    assert all(60 <= n <= 260 and n == stored for n, stored in counts)

    # Each past working day has a verdict per worker; not all are compliant; flags exist.
    days = set(DailyCompliance.objects.values_list("day", flat=True))
    assert days
    for day in days:
        assert DailyCompliance.objects.filter(day=day).count() == workers.count()
    assert DailyCompliance.objects.exclude(status="compliant").exists()
    assert PatrolFlag.objects.exists()

    # Today shows patrols under way, none of them the demo gridworker's (they start their own).
    under_way = Patrol.objects.filter(ended_at__isnull=True)
    assert under_way.exists()
    assert all(timezone.localdate(p.started_at) == timezone.localdate() for p in under_way)
    assert not under_way.filter(worker__username="gridworker").exists()
