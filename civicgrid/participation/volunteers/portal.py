"""The volunteers' section of a community's public page: upcoming activities with places left
and this year's hours ranking, names masked (docs/architecture.md "Volunteers")."""

from __future__ import annotations

from typing import Any

from civicgrid.participation.volunteers import selectors
from civicgrid.participation.volunteers.presenters import (
    present_activity_public,
    present_ranking_public,
)

PORTAL_ACTIVITIES = 5


def portal_context(community: Any) -> dict[str, Any] | None:
    activities = [
        present_activity_public(a)
        for a in selectors.public_activities(community.code)[:PORTAL_ACTIVITIES]
    ]
    year = selectors.this_year()
    ranking = present_ranking_public(selectors.ranking(community.code, year))
    if not activities and not ranking["volunteers"] and not ranking["teams"]:
        return None
    return {"activities": activities, "ranking": ranking, "year": year}
