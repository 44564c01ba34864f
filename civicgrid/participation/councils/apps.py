from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    name = "civicgrid.participation.councils"
    label = "councils"
    verbose_name = _("议事协商")
    demo_builder = "civicgrid.participation.councils.demo.build_councils"
    # The same roles as the pages' policies (councils.choices COUNCIL_READERS, RESIDENTS).
    nav_group = _("居民参与")
    nav_items: list[tuple[int, object, str, list[str]]] = [
        (62, _("议事协商"), "councils:home", ["secretary", "cadre", "command", "sysadmin"]),
        (63, _("居民议题"), "councils:proposals", ["resident"]),
    ]

    def ready(self) -> None:
        from civicgrid.cases.hooks import CasePanel, register_case_panel
        from civicgrid.participation.portal import PortalSection, register_portal_section

        register_portal_section(
            PortalSection(30, "participation/councils/_portal.html", portal_context)
        )
        register_case_panel(CasePanel(25, "participation/councils/_case_panel.html", case_panel))
        from civicgrid.participation.councils.services import supports_of_rejected_resident
        from civicgrid.participation.residents import on_claim_rejected

        on_claim_rejected(supports_of_rejected_resident)


def case_panel(case: Any, user: Any) -> dict[str, Any] | None:
    """The council resolutions on the case, on its page: who follows up, by when, how far it
    got. The case page already checked the viewer may read the case; a resident (the reporter)
    sees the decision, the date and the progress, not the name of the person responsible."""
    from civicgrid.accounts.choices import Role
    from civicgrid.participation.councils.presenters import present_case_resolution
    from civicgrid.participation.councils.selectors import case_resolutions

    found = case_resolutions(case)
    if not found:
        return None
    staff = user.is_superuser or getattr(user, "role", None) != Role.RESIDENT
    return {"resolutions": [present_case_resolution(r, staff=staff) for r in found]}


def portal_context(community: Any) -> dict[str, Any] | None:
    """The community page's council section: upcoming meetings and recent resolutions, through
    the public presenter (no names of residents, no case numbers)."""
    from civicgrid.participation.councils.presenters import (
        present_meeting_public,
        present_resolution_public,
    )
    from civicgrid.participation.councils.selectors import (
        public_recent_resolutions,
        public_upcoming_meetings,
    )

    upcoming = [present_meeting_public(m) for m in public_upcoming_meetings(community.code)]
    resolutions = [present_resolution_public(r) for r in public_recent_resolutions(community.code)]
    if not upcoming and not resolutions:
        return None
    return {"upcoming": upcoming, "resolutions": resolutions}
