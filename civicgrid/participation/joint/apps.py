from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JointMeetingsConfig(AppConfig):
    name = "civicgrid.participation.joint"
    label = "jointmeetings"
    verbose_name = _("联席会议")
    nav_items: list[tuple[int, object, str, list[str]]] = []
