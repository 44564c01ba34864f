from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "civicgrid.cases"
    verbose_name = "事件诉求"
    nav_items: list = []

    def ready(self) -> None:
        from civicgrid.cases import checks  # noqa: F401  (registers the system checks)
        from civicgrid.cases.services import cases_bulk_relocate
        from civicgrid.geo.hooks import register_relocator

        register_relocator("cases", cases_bulk_relocate)
