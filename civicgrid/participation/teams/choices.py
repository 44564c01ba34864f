"""Roles, ways and who may do what in grid teams and party members' household links.

The role sets follow ``accounts.choices`` (docs/architecture.md "One way in"): the pages' and
operations' policies, the menu and the services read the same sets."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from civicgrid.accounts.choices import Role


class MemberKind(models.TextChoices):
    DEPARTMENT = "department", _("部门人员")
    COMMUNITY = "community", _("社区力量")


class TeamRole(models.TextChoices):
    POLICE = "police", _("社区民警")
    URBAN = "urban", _("城管队员")
    MARKET = "market", _("市场监管")
    DEPT_OTHER = "dept_other", _("其他部门人员")
    BUILDING_HEAD = "building_head", _("楼栋长")
    PARTY = "party", _("党员")
    VOLUNTEER = "volunteer", _("志愿者")
    OTHER = "other", _("其他")


# Which roles belong to which kind of member: a department account holds a department role,
# a community person a community role.
DEPARTMENT_ROLES = frozenset(
    {TeamRole.POLICE, TeamRole.URBAN, TeamRole.MARKET, TeamRole.DEPT_OTHER}
)
COMMUNITY_ROLES = frozenset(
    {TeamRole.BUILDING_HEAD, TeamRole.PARTY, TeamRole.VOLUNTEER, TeamRole.OTHER}
)


class ContactWay(models.TextChoices):
    VISIT = "visit", _("上门")
    PHONE = "phone", _("电话")
    WECHAT = "wechat", _("微信")


# Who reads the teams of their jurisdiction: the staff who keep the grids. Department handlers
# read only the teams they are members of (selectors.team_grids_for); the auditor reads the
# audit trail, not who works where (三权分立).
TEAM_READERS = frozenset(
    {Role.SYSADMIN, Role.COMMAND, Role.SECRETARY, Role.CADRE, Role.GRID_WORKER, Role.DEPARTMENT}
)
# Who adds and retires team members: the community desk and, for the street, the command centre.
TEAM_MANAGERS = frozenset({Role.SYSADMIN, Role.COMMAND, Role.SECRETARY})
# Party members and their household links hold ledger data (households, heads' names).
PARTY_READERS = frozenset(
    {Role.SYSADMIN, Role.COMMAND, Role.SECRETARY, Role.CADRE, Role.GRID_WORKER}
)
PARTY_MANAGERS = frozenset({Role.SYSADMIN, Role.COMMAND, Role.SECRETARY, Role.CADRE})
# Contacts are recorded like visits, by whoever keeps the grid's ledger.
CONTACT_RECORDERS = PARTY_READERS

# "Contacted recently" on the coverage page, unless the page asks for another window.
DEFAULT_COVERAGE_DAYS = 90
MAX_COVERAGE_DAYS = 366
