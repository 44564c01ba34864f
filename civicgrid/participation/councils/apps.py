from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    name = "civicgrid.participation.councils"
    label = "councils"
    verbose_name = _("议事协商")
    nav_items: list[tuple[int, object, str, list[str]]] = []
