from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridTeamsConfig(AppConfig):
    name = "civicgrid.participation.teams"
    label = "gridteams"
    verbose_name = _("网格团队与党员联系户")
    demo_builder = "civicgrid.participation.teams.demo.build_teams"
    # The same roles as the pages' policies (teams.choices TEAM_READERS, PARTY_READERS).
    nav_group = _("居民参与")
    nav_items = [
        (
            62,
            _("网格团队"),
            "gridteams:team_list",
            ["gridworker", "cadre", "secretary", "command", "department", "sysadmin"],
        ),
        (
            63,
            _("党员联系户"),
            "gridteams:party_home",
            ["gridworker", "cadre", "secretary", "command", "sysadmin"],
        ),
    ]

    def ready(self) -> None:
        from civicgrid.cases.hooks import (
            CasePanel,
            register_case_panel,
            register_dispatch_candidates,
        )
        from civicgrid.geo.hooks import register_map_grant, register_relocator
        from civicgrid.participation.portal import PortalSection, register_portal_section
        from civicgrid.participation.teams import wiring

        register_case_panel(
            CasePanel(
                20, "participation/teams/_case_panel.html", wiring.case_panel, css="css/teams.css"
            )
        )
        register_dispatch_candidates("gridteams", wiring.dispatch_candidates)
        register_map_grant("gridteams", wiring.map_grant)
        register_relocator(wiring.RELOCATOR_NAME, wiring.relocate)
        register_portal_section(
            PortalSection(40, "participation/teams/_portal.html", wiring.portal_context)
        )
