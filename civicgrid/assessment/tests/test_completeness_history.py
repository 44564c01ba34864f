"""Ledger completeness has a stored history: the nightly job keeps one row per grid and day
(rerunning a day replaces it), and "grids whose ledger completeness is falling" compares
today's score with the stored value of the comparison window, not today's value as if it were
history. A viewer reads only the snapshots of their own grids."""

from datetime import date, timedelta

from django.core.management import call_command
from django.utils import timezone

from civicgrid.assessment.analysis import falling_grids
from civicgrid.assessment.completeness import record_completeness
from civicgrid.assessment.measures import local_tz
from civicgrid.assessment.models import CompletenessSnapshot
from civicgrid.registry.tests.factories import make_building, make_dwelling, make_household


def today() -> date:
    return timezone.now().astimezone(local_tz()).date()


def test_recording_is_idempotent(city):
    make_household(make_dwelling(make_building(city.grids["a1_west"])))
    first = record_completeness()
    assert first == CompletenessSnapshot.objects.filter(day=today()).count() > 0
    call_command("assessment_completeness")
    call_command("assessment_rollup", "--from", str(today()), "--to", str(today()))
    assert CompletenessSnapshot.objects.filter(day=today()).count() == first
    row = CompletenessSnapshot.objects.get(day=today(), grid_code=city.grids["a1_west"].code)
    assert 0 <= row.score <= 100 and row.checks > 0


def test_falling_compares_stored_past_values(city, users):
    west, east = city.grids["a1_west"], city.grids["a1_east"]
    make_household(make_dwelling(make_building(west)))
    make_household(make_dwelling(make_building(east)))
    record_completeness()
    now = {s.grid_code: s.score for s in CompletenessSnapshot.objects.filter(day=today())}
    # Thirty-five days ago (inside the comparison window ending 30 days ago) west was complete
    # and east worse than now; ten days ago (outside the window) west was at 0 and is ignored.
    then = today() - timedelta(days=35)
    CompletenessSnapshot.objects.create(day=then, grid_code=west.code, score=100, gaps=0, checks=10)
    CompletenessSnapshot.objects.create(
        day=then, grid_code=east.code, score=now[east.code] - 10, gaps=5, checks=10
    )
    CompletenessSnapshot.objects.create(
        day=today() - timedelta(days=10), grid_code=west.code, score=0, gaps=10, checks=10
    )

    result = falling_grids(users.command, today=today())
    rows = {r["grid_code"]: r for r in result["rows"]}
    assert rows[west.code]["completeness"] == now[west.code]
    assert rows[west.code]["completeness_before"] == 100
    assert rows[west.code]["completeness_change"] == now[west.code] - 100
    assert rows[east.code]["completeness_change"] == 10
    assert result["rows"][0]["grid_code"] == west.code  # fell most
    # Month by month: this month's last snapshot is today's.
    assert rows[west.code]["completeness_monthly"][-1] == now[west.code]


def test_snapshots_are_scoped(city, users):
    record_completeness()
    CompletenessSnapshot.objects.create(
        day=today() - timedelta(days=35),
        grid_code=city.grids["b1"].code,
        score=50,
        gaps=1,
        checks=2,
    )
    # The worker of street a sees nothing of street b; a resident nothing at all.
    seen = CompletenessSnapshot.objects.visible_to(users.worker)
    assert all(s.grid_code.startswith(tuple(users.worker.scope_codes)) for s in seen)
    assert not CompletenessSnapshot.objects.visible_to(users.resident).exists()
    rows = falling_grids(users.outsider, today=today())["rows"]
    assert city.grids["a1_west"].code not in {r["grid_code"] for r in rows}
