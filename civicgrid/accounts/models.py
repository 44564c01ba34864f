from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicgrid.accounts.choices import READS, WRITE_ROLES, Role

# Division code lengths (geo sits above accounts, so the two it needs are named here).
CITY_CODE_LENGTH = 4
DISTRICT_CODE_LENGTH = 6


class Department(models.Model):
    """A functional department (职能部门) that receives dispatched cases."""

    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    # Code prefix of the division that owns the department (a street, a district or the city).
    region_code = models.CharField(_("所属区划编码"), max_length=12, db_index=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    retired_on = models.DateField(_("撤销日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("职能部门")
        verbose_name_plural = _("职能部门")
        ordering = ["region_code", "name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.RESIDENT)
    department = models.ForeignKey(
        Department,
        verbose_name=_("所属部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="handlers",
    )
    phone = models.CharField(_("工作电话"), max_length=40, blank=True)
    # Set when the security admin hands out a temporary password; cleared by the user's own
    # password change, which login sends them to first.
    must_change_password = models.BooleanField(_("须修改密码"), default=False)
    # When the password was last set by its owner or reset, for PASSWORD_MAX_AGE_DAYS.
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.full_name or self.username

    @cached_property
    def scope_codes(self) -> list[str]:
        """Division/grid code prefixes this user works in (cached per request)."""
        return sorted(s.code for s in self.scopes.all() if s.retired_on is None)

    @property
    def sees_everything(self) -> bool:
        return self.is_superuser

    @property
    def post_label(self) -> str:
        """The role as the person's post is called: one command role serves a street, a
        district and a city, and a district's centre is not 街道网格管理中心."""
        if self.role == Role.COMMAND and self.scope_codes:
            widest = min(len(code) for code in self.scope_codes)
            if widest <= CITY_CODE_LENGTH:
                return str(_("市网格化服务管理中心"))
            if widest <= DISTRICT_CODE_LENGTH:
                return str(_("区网格化服务管理中心"))
        return str(self.get_role_display())

    @property
    def can_write(self) -> bool:
        return self.is_superuser or self.role in WRITE_ROLES

    @property
    def is_staff_member(self) -> bool:
        return self.role != Role.RESIDENT

    def reads(self, kind: str) -> bool:
        """Whether this role reads ``kind`` of data at all ("ledgers", "cases", "tracks",
        "audit", "map"): the one table in ``accounts.choices.READS``."""
        return self.is_superuser or self.role in READS[kind]

    @property
    def reads_map(self) -> bool:
        """For templates: whether to ask the map API for grids (roles outside READS["map"] are
        refused it, so their pages do not ask)."""
        return self.reads("map")

    @property
    def reads_ledgers(self) -> bool:
        """For templates: whether to offer pages about the ledgers (a department reads none)."""
        return self.reads("ledgers")

    def in_scope(self, code: str, *, reads: str) -> bool:
        """Whether ``code`` lies in this user's jurisdiction for ``reads`` kind of data."""
        if not self.reads(reads):
            return False
        return self.sees_everything or any(code.startswith(c) for c in self.scope_codes)


class Scope(models.Model):
    """One code prefix a staff member is responsible for (a grid, a community, a street…)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="scopes")
    code = models.CharField(_("区划/网格编码"), max_length=15, db_index=True)
    assigned_on = models.DateField(_("任命日期"), auto_now_add=True)
    retired_on = models.DateField(_("卸任日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("管辖范围")
        verbose_name_plural = _("管辖范围")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "code"],
                condition=models.Q(retired_on__isnull=True),
                name="%(app_label)s_%(class)s_one_active_per_code",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.code}"
