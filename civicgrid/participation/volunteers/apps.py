from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "civicgrid.participation.volunteers"
    label = "volunteers"
    verbose_name = _("志愿服务")
    demo_builder = "civicgrid.participation.volunteers.demo.build_volunteers"
    # The same roles as the pages' policies (volunteers.choices VOLUNTEER_SELF, VOLUNTEER_STAFF).
    nav_group = _("居民参与")
    nav_items = [
        (62, _("志愿服务"), "volunteers:home", ["resident"]),
        (62, _("志愿服务管理"), "volunteers:manage", ["cadre", "secretary", "command", "sysadmin"]),
    ]

    def ready(self) -> None:
        from civicgrid.cases.hooks import CasePanel, register_case_panel
        from civicgrid.participation.portal import PortalSection, register_portal_section
        from civicgrid.participation.volunteers.case_panel import case_panel
        from civicgrid.participation.volunteers.portal import portal_context

        register_portal_section(
            PortalSection(
                order=20,
                template="participation/volunteers/_portal.html",
                context=portal_context,
            )
        )
        register_case_panel(
            CasePanel(
                30,
                "participation/volunteers/_case_panel.html",
                case_panel,
                css="css/volunteers.css",
            )
        )
