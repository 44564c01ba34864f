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


# What each role reads, decided once (docs/architecture.md "One way in"). ``visible_to`` asks
# the model which kind of data it holds (``scope_reads``), ``access_*``, the endpoint policies
# (``core.policy``) and the menu all consult these same sets. Jurisdiction still narrows each
# of them to the user's code prefixes.
MAP_READERS = frozenset(
    {Role.SYSADMIN, Role.COMMAND, Role.SECRETARY, Role.CADRE, Role.GRID_WORKER, Role.AUDITOR}
)
# The grid map page and its grid outlines: the map readers, and department staff for the grids
# of the teams they belong to (geo.hooks.extra_map_codes; nothing else of those grids).
GRID_MAP_ROLES = MAP_READERS | {Role.DEPARTMENT}
# Ledgers hold names, birth dates, relations: only the roles that keep them. The auditor reads
# the audit trail and nothing of the ledgers (三权分立); departments see dispatched cases only.
LEDGER_READERS = frozenset(
    {Role.SYSADMIN, Role.COMMAND, Role.SECRETARY, Role.CADRE, Role.GRID_WORKER}
)
# GPS tracks of grid workers: those who supervise field work in the jurisdiction.
TRACK_READERS = frozenset(
    {Role.SYSADMIN, Role.COMMAND, Role.SECRETARY, Role.CADRE, Role.GRID_WORKER}
)
# Cases: staff of the jurisdiction, departments the cases dispatched to them, residents their own.
CASE_READERS = frozenset(
    {
        Role.SYSADMIN,
        Role.COMMAND,
        Role.SECRETARY,
        Role.CADRE,
        Role.GRID_WORKER,
        Role.DEPARTMENT,
        Role.RESIDENT,
    }
)
AUDIT_READERS = frozenset({Role.AUDITOR})
ACCOUNT_MANAGERS = frozenset({Role.SECADMIN})
# The three administrators of 三权分立: nobody but the break-glass command creates or changes them.
ADMIN_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})

READS: dict[str, frozenset[Role]] = {
    "map": MAP_READERS,
    "ledgers": LEDGER_READERS,
    "tracks": TRACK_READERS,
    "cases": CASE_READERS,
    "audit": AUDIT_READERS,
}

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

# Accounts that stand for an outside system's API key (created by the integrations app): they
# never sign in, are not people, and the account pages neither list nor edit them.
SERVICE_USERNAME_PREFIX = "svc-"
