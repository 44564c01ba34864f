from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "civicgrid.registry"
    verbose_name = "基础台账"
    nav_items: list = []
