from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civicgrid.accounts.choices import Role


class DashboardConfig(AppConfig):
    name = "civicgrid.dashboard"
    verbose_name = "工作台"
    nav_items = [
        (0, _("工作台"), "dashboard:home", None),
        # The same roles as the screen's policy (dashboard.screen.SCREEN_ROLES).
        (
            5,
            _("指挥大屏"),
            "dashboard:screen",
            {Role.COMMAND, Role.SECRETARY, Role.CADRE, Role.SYSADMIN},
        ),
    ]
