from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "civicgrid.participation"
    verbose_name = _("共建共治")
    nav_items: list = []
