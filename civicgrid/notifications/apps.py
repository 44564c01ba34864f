from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "civicgrid.notifications"
    verbose_name = "消息通知"
    nav_items: list = []
