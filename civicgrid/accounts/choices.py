from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SYSADMIN = "sysadmin", _("系统管理员")
    SECADMIN = "secadmin", _("安全管理员")
    AUDITOR = "auditor", _("审计管理员")
    COMMAND = "command", _("街道网格管理中心")
    SECRETARY = "secretary", _("社区书记/主任")
    CADRE = "cadre", _("社区干部/片长")
    GRID_WORKER = "gridworker", _("网格员")
    DEPARTMENT = "department", _("职能部门")
    RESIDENT = "resident", _("居民")


# Roles that may change ledger and grid rows inside their scope. Auditors and the security
# admin read; department handlers act on the cases dispatched to them, not on ledgers.
WRITE_ROLES = frozenset({Role.SYSADMIN, Role.COMMAND, Role.SECRETARY, Role.CADRE, Role.GRID_WORKER})
# Roles that work inside a jurisdiction and so are given scope codes.
SCOPED_ROLES = frozenset(
    {Role.SYSADMIN, Role.COMMAND, Role.SECRETARY, Role.CADRE, Role.GRID_WORKER, Role.AUDITOR}
)

# Which code lengths each role may be assigned (a grid worker to grids, a cadre to a community,
# the command centre to a street or a district); roles not listed take any division code.
SCOPE_LENGTHS = {
    Role.GRID_WORKER: frozenset({15}),
    Role.CADRE: frozenset({12, 15}),
    Role.SECRETARY: frozenset({12}),
    Role.COMMAND: frozenset({6, 9}),
}

# Permissions over personal data that the security admin grants person by person (audited).
# Only roles working a jurisdiction may hold them: configuring the system or reading the audit
# trail never comes with seeing personal data in clear (三权分立).
SENSITIVE_PERMISSIONS = {
    "registry.unmask_pii": _("查看完整证件号、电话和住址(需填事由)"),
    "registry.view_special_groups": _("查看特殊人群"),
}
SENSITIVE_PERMISSION_ROLES = frozenset({Role.COMMAND, Role.SECRETARY, Role.CADRE, Role.GRID_WORKER})
