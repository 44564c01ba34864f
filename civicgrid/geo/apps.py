from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from civicgrid.accounts.choices import SCOPED_ROLES

# The map and the region tree serve everyone who works a jurisdiction.
_STAFF = SCOPED_ROLES


class GeoConfig(AppConfig):
    name = "civicgrid.geo"
    verbose_name = "区划与网格"
    nav_items = [
        (10, _("网格地图"), "geo:map", _STAFF),
        (11, _("区划网格"), "geo:regions", _STAFF),
    ]
