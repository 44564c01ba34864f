from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "civicgrid.dashboard"
    verbose_name = "工作台"
    nav_items = [(0, _("工作台"), "dashboard:home", None)]
