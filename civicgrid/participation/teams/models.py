"""Grid teams ("1+N") and party members' household links (党员联系户).

A grid's team is its grid worker(s) — read from their accounts' scopes, never copied here —
plus ``TeamMember`` rows. Every row carries its grid and an indexed ``grid_code`` (rule 1) and
holds ledger-kind data (``scope_reads``); leaving sets ``until`` and keeps the row (rule 4)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicgrid.core.scoping import ScopedQuerySet
from civicgrid.participation.teams.choices import ContactWay, MemberKind, TeamRole


class CurrentQuerySet(ScopedQuerySet[Any]):
    def current(self) -> CurrentQuerySet:
        today = timezone.localdate()
        return self.filter(Q(until__isnull=True) | Q(until__gt=today))


class TeamMember(models.Model):
    scope_field = "grid_code"
    scope_reads = "ledgers"

    grid = models.ForeignKey("geo.Grid", verbose_name=_("网格"), on_delete=models.PROTECT)
    grid_code = models.CharField(_("网格编码"), max_length=15, db_index=True, editable=False)
    kind = models.CharField(_("类别"), max_length=20, choices=MemberKind.choices)
    role = models.CharField(_("团队角色"), max_length=20, choices=TeamRole.choices)
    # A department member is a department account; a community member may be a person of the
    # grid's ledger. The name is kept on the row so the team reads the same after either changes.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="team_memberships",
    )
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("台账人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("姓名"), max_length=50)
    work_phone = models.CharField(_("工作电话"), max_length=20, blank=True)
    # Shown on the community's public page (staff: name, role and work phone; community
    # people: role and masked name only).
    public = models.BooleanField(_("公开"), default=False)
    since = models.DateField(_("加入日期"))
    until = models.DateField(_("退出日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CurrentQuerySet.as_manager()

    class Meta:
        verbose_name = _("网格团队成员")
        verbose_name_plural = _("网格团队成员")
        ordering = ["grid_code", "kind", "role", "pk"]
        indexes = [models.Index(fields=["user", "until"], name="gridteams_member_user_until")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.grid_code = self.grid.code
        super().save(*args, **kwargs)


class PartyMember(models.Model):
    """A party member who keeps in touch with households: a person of the ledger with
    ``is_party_member``, or a staff account flagged here."""

    scope_field = "grid_code"
    scope_reads = "ledgers"

    grid = models.ForeignKey("geo.Grid", verbose_name=_("网格"), on_delete=models.PROTECT)
    grid_code = models.CharField(_("网格编码"), max_length=15, db_index=True, editable=False)
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("台账人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("工作人员账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("姓名"), max_length=50)
    branch = models.CharField(_("所在党支部"), max_length=100, blank=True)
    since = models.DateField(_("登记日期"))
    until = models.DateField(_("停止日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CurrentQuerySet.as_manager()

    class Meta:
        verbose_name = _("联系户党员")
        verbose_name_plural = _("联系户党员")
        ordering = ["grid_code", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(until__isnull=True, person__isnull=False),
                name="gridteams_partymember_one_active_person",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(until__isnull=True, user__isnull=False),
                name="gridteams_partymember_one_active_user",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.grid_code = self.grid.code
        super().save(*args, **kwargs)

    @property
    def community_code(self) -> str:
        return self.grid_code[:12]


class HouseholdLink(models.Model):
    """A party member keeps in touch with a household of the same community."""

    scope_field = "grid_code"
    scope_reads = "ledgers"

    party_member = models.ForeignKey(PartyMember, on_delete=models.PROTECT, related_name="links")
    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, related_name="party_links"
    )
    # The household's grid: coverage is counted per grid of the households.
    grid_code = models.CharField(_("网格编码"), max_length=15, db_index=True, editable=False)
    since = models.DateField(_("联系开始"))
    until = models.DateField(_("联系结束"), null=True, blank=True)

    objects = CurrentQuerySet.as_manager()

    class Meta:
        verbose_name = _("党员联系户")
        verbose_name_plural = _("党员联系户")
        ordering = ["grid_code", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["party_member", "household"],
                condition=Q(until__isnull=True),
                name="gridteams_link_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.party_member_id} → {self.household_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.grid_code = self.household.grid_code
        super().save(*args, **kwargs)


class PartyContact(models.Model):
    """One contact of a party member with a linked household, recorded like a visit."""

    scope_field = "grid_code"
    scope_reads = "ledgers"

    link = models.ForeignKey(HouseholdLink, on_delete=models.PROTECT, related_name="contacts")
    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, related_name="party_contacts"
    )
    grid_code = models.CharField(_("网格编码"), max_length=15, db_index=True, editable=False)
    contacted_on = models.DateField(_("联系日期"), db_index=True)
    way = models.CharField(_("方式"), max_length=10, choices=ContactWay.choices)
    note = models.TextField(_("情况"), blank=True)
    issues = models.TextField(_("发现问题"), blank=True)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("联系记录")
        verbose_name_plural = _("联系记录")
        ordering = ["-contacted_on", "-pk"]
        indexes = [
            models.Index(fields=["household", "contacted_on"], name="gridteams_contact_hh_on")
        ]

    def __str__(self) -> str:
        return f"{self.contacted_on} {self.get_way_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.household_id = self.link.household_id
        self.grid_code = self.link.grid_code
        super().save(*args, **kwargs)
