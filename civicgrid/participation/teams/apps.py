from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridTeamsConfig(AppConfig):
    name = "civicgrid.participation.teams"
    label = "gridteams"
    verbose_name = _("网格团队与党员联系户")
    nav_items: list[tuple[int, object, str, list[str]]] = []
