"""The daily compliance command is idempotent; the purge deletes old track points only and
keeps each patrol's metrics."""

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command

from civicgrid.fieldwork.models import DailyCompliance, Patrol, PatrolStandard, TrackPoint
from civicgrid.fieldwork.tests.walks import MONDAY, MONDAY_EVENING, at, inside_walk, walk


def run(*args: str) -> str:
    out = StringIO()
    with time_machine.travel(MONDAY_EVENING, tick=False):
        call_command(*args, stdout=out)
    return out.getvalue()


def test_compliance_twice_gives_the_same_rows(users: Any) -> None:
    walk(users.worker, inside_walk(at(9)))
    walk(users.worker, inside_walk(at(15)))
    assert "写入一日双巡结果 2 条" in run("patrol_compliance", "--date", "2026-11-23")
    first = list(DailyCompliance.objects.order_by("pk").values())
    run("patrol_compliance", "--date", "2026-11-23")
    assert list(DailyCompliance.objects.order_by("pk").values()) == first
    assert {r["status"] for r in first} == {"compliant", "none"}


def test_compliance_over_several_days(users: Any) -> None:
    # Thursday to Monday: the weekend between is not judged (test_compliance_rest_days.py).
    out = run("patrol_compliance", "--date", "2026-11-23", "--days", "5")
    assert out.count("写入一日双巡结果") == 3
    assert out.count("非工作日") == 2
    days = set(DailyCompliance.objects.values_list("day", flat=True))
    assert days == {MONDAY - timedelta(days=4), MONDAY - timedelta(days=3), MONDAY}


def test_compliance_refuses_a_bad_date(users: Any) -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("patrol_compliance", "--date", "23/11/2026")


def test_purge_keeps_metrics_and_deletes_old_points_only(city: Any, users: Any) -> None:
    old = walk(users.worker, inside_walk(at(9)))
    recent = walk(users.worker, inside_walk(at(15)))
    assert old.point_count and recent.point_count
    out = StringIO()
    # 180 days (the default retention) after the morning patrol, before the afternoon one.
    with time_machine.travel(at(12) + timedelta(days=180), tick=False):
        call_command("purge_tracks", stdout=out)
        call_command("purge_tracks", stdout=out)
    assert f"删除轨迹点 {old.point_count} 个,涉及巡查 1 次" in out.getvalue()
    assert "删除轨迹点 0 个,涉及巡查 0 次" in out.getvalue()
    assert not TrackPoint.objects.filter(patrol=old).exists()
    assert TrackPoint.objects.filter(patrol=recent).count() == recent.point_count
    kept = Patrol.objects.get(pk=old.pk)
    assert (kept.distance_m, kept.point_count, kept.inside_share) == (
        old.distance_m,
        old.point_count,
        old.inside_share,
    )
    # The map's copy of the track goes with the points; the recent patrol keeps its own.
    assert (kept.outline, kept.last_at, kept.last_lat, kept.last_lng) == (None,) * 4
    assert Patrol.objects.get(pk=recent.pk).outline


def test_purge_follows_the_most_specific_standard(city: Any, users: Any) -> None:
    PatrolStandard.objects.create(region_prefix=city.comm_a1.code, retention_days=30)
    patrol = walk(users.worker, inside_walk(at(9)))
    with time_machine.travel(at(12) + timedelta(days=31), tick=False):
        call_command("purge_tracks", stdout=StringIO())
    assert not TrackPoint.objects.filter(patrol=patrol).exists()
