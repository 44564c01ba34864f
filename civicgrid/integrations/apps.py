from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "civicgrid.integrations"
    verbose_name = _("外部系统接入")
    nav_items: list = []
