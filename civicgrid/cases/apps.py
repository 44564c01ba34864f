from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "civicgrid.cases"
    verbose_name = "事件诉求"
    nav_items: list = []
