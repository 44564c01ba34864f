from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "civicgrid.notifications"
    verbose_name = "消息通知"
    # roles=None: every signed-in person, residents included, has an inbox.
    nav_items = [(80, _("消息"), "notifications:inbox", None)]
