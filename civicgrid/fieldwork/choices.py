from django.db import models
from django.utils.translation import gettext_lazy as _


class ComplianceStatus(models.TextChoices):
    """一日双巡 verdict for one worker, grid and day (patrol_compliance writes it)."""

    COMPLIANT = "compliant", _("达标")
    ONE_ONLY = "one_only", _("只巡一次")
    NONE = "none", _("未巡查")
    TOO_SHORT = "too_short", _("时长不足")
    OUTSIDE = "outside", _("多在网格外")


class FlagKind(models.TextChoices):
    """电子监察: what made a patrol suspicious, each with its reason in ``PatrolFlag.detail``."""

    JUMP = "jump", _("定位跳变")
    STATIONARY = "stationary", _("长时间静止")
    FAR_OUTSIDE = "far_outside", _("远离网格")
    FEW_POINTS = "few_points", _("轨迹点过少")
    DUPLICATE = "duplicate", _("重复上传")
    BACKDATED = "backdated", _("补传过期数据")


class VisitPurpose(models.TextChoices):
    """Why a grid worker went to a household (入户走访)."""

    ROUTINE = "routine", _("日常走访")
    CARE = "care", _("关爱探访")
    VERIFY = "verify", _("信息核实")
    FOLLOW_UP = "follow_up", _("事件回访")
    OTHER = "other", _("其他")


class HouseholdType(models.TextChoices):
    """The household types a visit rule can target (issue 9 part 4, "per household type"):
    the registry's 户别 (``Household.kind``), and 出租户, a household living in a dwelling the
    ledger records as rented (``Dwelling.occupancy``), whatever its 户别."""

    REGISTERED = "registered", _("户籍户")
    FLOATING = "floating", _("流动户")
    RENTED = "rented", _("出租户")
