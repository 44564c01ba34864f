from django.db import models
from django.utils.translation import gettext_lazy as _

from civicgrid.accounts.choices import Role


class TeamKind(models.TextChoices):
    PARTY = "party", _("党员先锋队")
    ELDERLY = "elderly", _("为老服务队")
    ENVIRONMENT = "environment", _("环保志愿队")
    SAFETY = "safety", _("平安巡防队")
    CIVILITY = "civility", _("文明实践队")
    OTHER = "other", _("其他")


class ActivityStatus(models.TextChoices):
    OPEN = "open", _("报名中")
    CLOSED = "closed", _("已结束")
    CANCELLED = "cancelled", _("已取消")


class SignupStatus(models.TextChoices):
    SIGNED = "signed", _("已报名")
    CANCELLED = "cancelled", _("已取消")


class CheckinMethod(models.TextChoices):
    SELF = "self", _("本人定位签到")
    ORGANISER = "organiser", _("组织者勾选")


# Who manages teams, volunteers and activities of their jurisdiction (docs/architecture.md
# "Volunteers"): the community's cadres and secretary, the street's command centre, the system
# administrator. Grid workers and departments do not run volunteer work.
VOLUNTEER_STAFF = frozenset({Role.CADRE, Role.SECRETARY, Role.COMMAND, Role.SYSADMIN})
# Who signs up for themselves: residents with an account.
VOLUNTEER_SELF = frozenset({Role.RESIDENT})

# Check-in opens this long before the start (overridable in settings; the radius is a field of
# each activity, defaulting to the setting).
CHECKIN_EARLY_MINUTES_DEFAULT = 30
CHECKIN_RADIUS_M_DEFAULT = 500
# One activity never credits more than a day.
MAX_HOURS_PER_ACTIVITY = 24
