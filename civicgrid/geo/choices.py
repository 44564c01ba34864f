from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    DISTRICT = "district", _("区县")
    STREET = "street", _("街道/乡镇")
    COMMUNITY = "community", _("社区/村")


# Length of a normalised code at each level (materialised path).
LEVEL_BY_LENGTH = {
    2: Level.PROVINCE,
    4: Level.CITY,
    6: Level.DISTRICT,
    9: Level.STREET,
    12: Level.COMMUNITY,
}
LENGTH_BY_LEVEL = {level: length for length, level in LEVEL_BY_LENGTH.items()}
GRID_CODE_LENGTH = 15


class GridKind(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("综合网格")
    DEDICATED = "dedicated", _("专属网格")
