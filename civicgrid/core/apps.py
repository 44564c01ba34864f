from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "civicgrid.core"
    verbose_name = "核心"
