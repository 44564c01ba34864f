"""What each audience sees of volunteer work (docs/architecture.md rule 7). The public sees
activities and masked names only; staff of the jurisdiction see full names and masked phones;
nobody here gets a ledger field (the linked Person stays out of every presentation)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from civicgrid.core.pii import mask_phone
from civicgrid.participation.volunteers.choices import SignupStatus
from civicgrid.participation.volunteers.models import Activity, Signup, Team, Volunteer


def mask_volunteer_name(name: str) -> str:
    """张三 → 张*, 张三华 → 张*华, 欧阳小明 → 欧**明: first and last character kept."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def _hours(value: Any) -> str:
    value = Decimal(value or 0).quantize(Decimal("0.1"))
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"


def present_activity_public(activity: Activity) -> dict[str, Any]:
    taken = getattr(activity, "taken", None)
    if taken is None:
        taken = activity.signups.filter(status=SignupStatus.SIGNED).count()
    left = max(activity.places - taken, 0)
    return {
        "id": activity.pk,
        "title": activity.title,
        "team": activity.team.name,
        "team_kind": activity.team.get_kind_display(),
        "date": activity.date,
        "starts_at": activity.starts_at,
        "ends_at": activity.ends_at,
        "place": activity.place,
        "lat": activity.lat,
        "lng": activity.lng,
        "places": activity.places,
        "places_left": left,
        "full": left == 0,
        "status": activity.status,
        "status_label": activity.get_status_display(),
        "started": timezone.now() >= activity.start,
        "description": activity.description,
        "community_code": activity.community_code,
        "community": _community_name(activity.community_code),
        "url": reverse("volunteers:activity", kwargs={"pk": activity.pk}),
    }


def _community_name(code: str) -> str:
    """The community's short name (a resident's list mixes their street's communities); one
    query per community, then from the cache."""
    from civicgrid.geo.models import Region

    return str(
        cache.get_or_set(
            f"volunteers:community-name:{code}",
            lambda: (
                Region.objects.filter(code=code).values_list("short_name", flat=True).first()
                or code
            ),
            600,
        )
    )


def present_activity_staff(activity: Activity) -> dict[str, Any]:
    shown = present_activity_public(activity)
    shown.update(
        {
            "checkin_radius_m": activity.checkin_radius_m,
            "case_number": activity.case.number if activity.case else "",
            "case_url": reverse("cases:detail", kwargs={"pk": activity.case_id})
            if activity.case_id
            else "",
            "task_title": activity.task.title if activity.task else "",
            "task_url": reverse("fieldwork:task_detail", kwargs={"pk": activity.task_id})
            if activity.task_id
            else "",
            "manage_url": reverse("volunteers:manage_activity", kwargs={"pk": activity.pk}),
            "planned_hours": _hours(activity.planned_hours),
        }
    )
    return shown


def present_team(team: Team, hours: Any = None) -> dict[str, Any]:
    return {
        "id": team.pk,
        "name": team.name,
        "kind": team.kind,
        "kind_label": team.get_kind_display(),
        "leader": team.leader.name if team.leader_id and team.leader else "",
        "description": team.description,
        "size": getattr(team, "size", None),
        "hours": _hours(hours) if hours is not None else "",
        "url": reverse("volunteers:manage_team", kwargs={"pk": team.pk}),
    }


def present_volunteer_staff(volunteer: Volunteer, hours: Any = None) -> dict[str, Any]:
    return {
        "id": volunteer.pk,
        "name": volunteer.name,
        "phone": mask_phone(volunteer.phone),
        "skills": volunteer.skills,
        "teams": [t.name for t in volunteer.teams.all()],
        "has_account": volunteer.user_id is not None,
        "joined_on": volunteer.joined_on,
        "hours": _hours(hours) if hours is not None else "",
        "url": reverse("volunteers:manage_volunteer", kwargs={"pk": volunteer.pk}),
    }


def present_signup_staff(row: Signup) -> dict[str, Any]:
    return {
        "id": row.pk,
        "name": row.volunteer.name,
        "phone": mask_phone(row.volunteer.phone),
        "status": row.status,
        "status_label": row.get_status_display(),
        "signed": row.status == SignupStatus.SIGNED,
        "present": row.checked_in_at is not None,
        "checked_in_at": row.checked_in_at,
        "checkin_method": row.get_checkin_method_display() if row.checkin_method else "",
        "checkin_distance_m": row.checkin_distance_m,
        "checked_out_at": row.checked_out_at,
        "hours": _hours(row.hours) if row.hours is not None else "",
        "hours_reason": row.hours_reason,
    }


def present_my_signup(row: Signup) -> dict[str, Any]:
    activity = row.activity
    return {
        "id": row.pk,
        "activity": present_activity_public(activity),
        "status": row.status,
        "status_label": row.get_status_display(),
        "signed": row.status == SignupStatus.SIGNED,
        "checked_in": row.checked_in_at is not None,
        "checked_out": row.checked_out_at is not None,
        "hours": _hours(row.hours) if row.hours is not None else "",
    }


def present_ranking_public(ranking: dict[str, Any]) -> dict[str, Any]:
    return {
        "volunteers": [
            {"name": mask_volunteer_name(r["volunteer__name"]), "hours": _hours(r["hours"])}
            for r in ranking["volunteers"]
        ],
        "teams": [
            {"name": r["activity__team__name"], "hours": _hours(r["hours"])}
            for r in ranking["teams"]
        ],
    }


def present_ranking_staff(ranking: dict[str, Any]) -> dict[str, Any]:
    return {
        "volunteers": [
            {"name": r["volunteer__name"], "hours": _hours(r["hours"]), "times": r["times"]}
            for r in ranking["volunteers"]
        ],
        "teams": [
            {"name": r["activity__team__name"], "hours": _hours(r["hours"])}
            for r in ranking["teams"]
        ],
    }


def present_certificate(
    volunteer: Volunteer, year: int, rows: list[Signup], community: Any
) -> dict[str, Any]:
    total = sum((r.hours or Decimal(0) for r in rows), Decimal(0))
    return {
        "name": volunteer.name,
        "year": year,
        "community": community.name if community else volunteer.community_code,
        "hours": _hours(total),
        "activities": [
            {
                "date": r.activity.date,
                "title": r.activity.title,
                "team": r.activity.team.name,
                "hours": _hours(r.hours),
            }
            for r in rows
        ],
        "issued_on": timezone.localdate(),
    }
