from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civicgrid.accounts.choices import LEDGER_READERS, WRITE_ROLES

# Ledgers are read by the roles in READS["ledgers"]; imports are for those who write them.
_LEDGER_ROLES = LEDGER_READERS


class RegistryConfig(AppConfig):
    name = "civicgrid.registry"
    verbose_name = "基础台账"
    nav_group = _("台账")
    nav_items = [
        (20, _("基础台账"), "registry:home", _LEDGER_ROLES),
        (21, _("台账核查"), "registry:completeness", _LEDGER_ROLES),
        (22, _("导入导出"), "registry:io_home", WRITE_ROLES),
    ]
    demo_builder = "civicgrid.registry.demo.build_registry"
    dashboard_widgets = ["civicgrid.registry.views.workbench_panel"]

    def ready(self) -> None:
        from civicgrid.geo.hooks import register_relocator
        from civicgrid.registry.services import relocate_after_grid_change

        register_relocator("registry", relocate_after_grid_change)

        from civicgrid.geo.basemap import register_point_layer

        register_point_layer(building_points_layer)


def building_points_layer(user: Any) -> dict[str, Any] | None:
    """Buildings on the offline base map, for those who read the ledgers (their own area)."""
    from django.urls import reverse

    if not user.reads("ledgers"):
        return None
    return {"url": reverse("api:building_points"), "min_zoom": 16}
