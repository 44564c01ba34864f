"""The demo's visits follow the visit rules: every worker visits only people of their own grid,
the default rules exist, the latest visit of each person visited is kept (its visits are
bulk-written), and the due list shows most people on time and some overdue."""

from typing import Any

import pytest
from django.db.models import Max

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import User
from civicgrid.dashboard.demo import build_accounts
from civicgrid.fieldwork import demo
from civicgrid.fieldwork.models import LastPersonVisit, Visit, VisitRule
from civicgrid.fieldwork.selectors import due_visits
from civicgrid.geo.demo import build_geo
from civicgrid.registry.demo import build_registry


def test_demo_visits_follow_the_rules(db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "WEEKS", 2)
    city = build_geo(size_name="small", seed=2026)
    build_accounts(city)
    build_registry(city)
    VisitRule.objects.all().delete()  # the demo creates the rules it needs
    built = demo.build_fieldwork(city)
    assert built["visits"] > 0
    assert VisitRule.objects.filter(tag_kind__code="elderly_alone", interval_days=7).exists()
    for visit in Visit.objects.select_related("worker")[:200]:
        assert visit.grid_code in visit.worker.scope_codes
    latest = Visit.objects.values_list("person_id").annotate(at=Max("visited_at")).order_by()
    assert dict(LastPersonVisit.objects.values_list("person_id", "visited_at")) == dict(latest)

    due = [
        row for worker in User.objects.filter(role=Role.GRID_WORKER) for row in due_visits(worker)
    ]
    overdue = [row for row in due if row.days_overdue > 0]
    assert due and overdue
    assert len(overdue) < len(due) / 2
