"""What pages, the API and exports show of patrols, flags and 一日双巡 verdicts (ARCHITECTURE
rule 7, docs/architecture.md "Field work").

Only TRACK_READERS ever reach these rows (``visible_to``), all of them staff, so the worker's
name and the grid's name are shown; nothing else personal is: no phone, no account name, no
track coordinates (those come only from ``selectors.patrol_track``, which audits the read).
Values are plain data (strings, numbers, datetimes).
"""

from __future__ import annotations

from typing import Any

from civicgrid.fieldwork.choices import ComplianceStatus, FlagKind, VisitPurpose
from civicgrid.fieldwork.models import DailyCompliance, Patrol, PatrolFlag, Visit

# The calendar's colour for each verdict: a CSS modifier, never an inline style.
COMPLIANCE_TONES = {
    ComplianceStatus.COMPLIANT: "ok",
    ComplianceStatus.ONE_ONLY: "warn",
    ComplianceStatus.TOO_SHORT: "warn",
    ComplianceStatus.OUTSIDE: "warn",
    ComplianceStatus.NONE: "bad",
}


def _label(choices: Any, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def _share(value: float | None) -> int | None:
    return None if value is None else round(value * 100)


def present_patrol(patrol: Patrol, *, user: Any) -> dict[str, Any]:
    """A patrol for a TRACK_READER (the caller got it through ``access_patrol`` or
    ``visible_to``). ``mine`` tells the worker's own patrol (they may add to and end it)."""
    flag_count = getattr(patrol, "flag_count", None)
    return {
        "id": patrol.pk,
        "worker": str(patrol.worker),
        "worker_id": patrol.worker_id,
        "grid": patrol.grid.name,
        "grid_code": patrol.grid_code,
        "started_at": patrol.started_at,
        "ended_at": patrol.ended_at,
        "open": patrol.ended_at is None,
        "mine": getattr(user, "pk", None) == patrol.worker_id,
        "duration_min": patrol.duration_s // 60,
        "distance_m": round(patrol.distance_m),
        "inside_pct": _share(patrol.inside_share),
        "coverage_pct": _share(patrol.coverage_share),
        "point_count": patrol.point_count,
        "flag_count": flag_count,
    }


def present_flag(flag: PatrolFlag) -> dict[str, Any]:
    patrol = flag.patrol
    return {
        "id": flag.pk,
        "patrol_id": flag.patrol_id,
        "kind": flag.kind,
        "kind_label": _label(FlagKind, flag.kind),
        "detail": flag.detail,
        "at": flag.at,
        "worker": str(patrol.worker),
        "worker_id": patrol.worker_id,
        "grid": patrol.grid.name,
        "grid_code": flag.grid_code,
    }


def present_compliance(row: DailyCompliance) -> dict[str, Any]:
    return {
        "id": row.pk,
        "day": row.day,
        "status": row.status,
        "status_label": _label(ComplianceStatus, row.status),
        "tone": COMPLIANCE_TONES.get(row.status, "bad"),  # type: ignore[call-overload]
        "patrols": row.patrols,
        "minutes": row.minutes,
        "note": row.note,
        "worker": str(row.worker),
        "worker_id": row.worker_id,
        "grid": row.grid.name,
        "grid_code": row.grid_code,
    }


def present_visit(visit: Visit, *, user: Any) -> dict[str, Any]:
    """A visit for a LEDGER_READER (the caller got it through ``access_visit`` or
    ``visible_to``): the person's name and the household's number are shown, never an ID
    number, a phone or an address (docs/architecture.md "One way in": one presenter)."""
    person = visit.person
    household = visit.household
    case = visit.case
    return {
        "id": visit.pk,
        "worker": str(visit.worker),
        "worker_id": visit.worker_id,
        "mine": getattr(user, "pk", None) == visit.worker_id,
        "grid": visit.grid.name,
        "grid_code": visit.grid_code,
        "person_id": visit.person_id,
        "person_name": person.name if person is not None else "",
        "household_id": visit.household_id,
        "household_number": household.number if household is not None else "",
        "visited_at": visit.visited_at,
        "purpose": visit.purpose,
        "purpose_label": _label(VisitPurpose, visit.purpose),
        "findings": visit.findings,
        "follow_up": visit.follow_up,
        "case_id": visit.case_id,
        "case_number": case.number if case is not None else "",
    }
