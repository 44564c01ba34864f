"""PIPL art. 28: every view of another person's track writes an audit entry; the worker
reading their own track does not."""

from typing import Any

from civicgrid.core.models import AuditEntry
from civicgrid.fieldwork.selectors import onduty, patrol_track
from civicgrid.fieldwork.tests.walks import MONDAY, at, inside_walk, walk


def test_the_command_reading_a_track_is_audited(users: Any) -> None:
    patrol = walk(users.worker, inside_walk(at(9)))
    points = patrol_track(users.command, patrol)
    assert len(points) == patrol.point_count
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action) == (users.command, "track_view")
    assert (entry.target_type, entry.target_id) == ("fieldwork.patrol", str(patrol.pk))


def test_the_worker_reading_their_own_track_is_not_audited(users: Any) -> None:
    patrol = walk(users.worker, inside_walk(at(9)))
    patrol_track(users.worker, patrol)
    onduty(users.worker, MONDAY)
    assert not AuditEntry.objects.exists()


def test_the_on_duty_map_is_audited(users: Any) -> None:
    walk(users.worker, inside_walk(at(9)))
    onduty(users.secretary, MONDAY)
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action) == (users.secretary, "track_onduty")
    assert "1 名网格员" in entry.reason
