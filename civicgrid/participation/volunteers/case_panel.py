"""The activities linked to a case, on the case page (civicgrid/cases/hooks.py: ``cases`` never
imports volunteers, docs/architecture.md "Layout")."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from civicgrid.accounts.choices import Role
from civicgrid.participation.volunteers import selectors
from civicgrid.participation.volunteers.choices import VOLUNTEER_STAFF, ActivityStatus
from civicgrid.participation.volunteers.models import Activity

PANEL_SIZE = 20


def case_panel(case: Any, user: Any) -> dict[str, Any] | None:
    """The case page already checked that ``user`` may read ``case``. Residents are left out:
    the panel is the staff's view of who works on the case; the activities themselves are on
    the public portal. Cancelled activities are left out too."""
    if not user.is_superuser and getattr(user, "role", None) == Role.RESIDENT:
        return None
    rows = list(
        selectors.with_taken(Activity.objects.filter(case_id=case.pk))
        .exclude(status=ActivityStatus.CANCELLED)
        .order_by("-date", "-starts_at", "-pk")[:PANEL_SIZE]
    )
    if not rows:
        return None
    managed: set[int] = set()
    if user.is_superuser or getattr(user, "role", None) in VOLUNTEER_STAFF:
        managed = set(
            Activity.objects.visible_to(user)
            .filter(pk__in=[a.pk for a in rows])
            .values_list("pk", flat=True)
        )
    return {
        "activities": [
            {
                "title": a.title,
                "team": a.team.name,
                "date": a.date,
                "starts_at": a.starts_at,
                "ends_at": a.ends_at,
                "status_label": a.get_status_display(),
                "places_left": max(a.places - (getattr(a, "taken", 0) or 0), 0),
                "places": a.places,
                # Staff who manage it go to its management page; others to its public page.
                "url": reverse(
                    "volunteers:manage_activity" if a.pk in managed else "volunteers:activity",
                    kwargs={"pk": a.pk},
                ),
            }
            for a in rows
        ]
    }
