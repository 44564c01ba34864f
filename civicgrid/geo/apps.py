from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civicgrid.accounts.choices import GRID_MAP_ROLES, SCOPED_ROLES

# The map and the region tree serve everyone who works a jurisdiction.
_STAFF = SCOPED_ROLES


class GeoConfig(AppConfig):
    name = "civicgrid.geo"
    verbose_name = "区划与网格"
    nav_group = _("网格")
    nav_items = [
        (10, _("网格地图"), "geo:map", GRID_MAP_ROLES),
        (11, _("区划网格"), "geo:regions", _STAFF),
    ]

    def ready(self) -> None:
        from civicgrid.accounts.hooks import register_code_lookup

        register_code_lookup("geo", existing_codes)


def existing_codes(codes: list[str]) -> set[str]:
    """Which of ``codes`` name a region or a current grid: accounts checks scope codes with it
    without importing geo (docs/architecture.md "Layout")."""
    from civicgrid.geo.models import Grid, Region

    known = set(Region.objects.filter(code__in=codes).values_list("code", flat=True))
    known |= set(Grid.objects.current().filter(code__in=codes).values_list("code", flat=True))
    return known
