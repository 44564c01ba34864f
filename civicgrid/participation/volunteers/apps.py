from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "civicgrid.participation.volunteers"
    label = "volunteers"
    verbose_name = _("志愿服务")
    nav_items: list[tuple[int, object, str, list[str]]] = []
