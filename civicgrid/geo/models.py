from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from civicgrid.core.scoping import ScopedQuerySet
from civicgrid.geo.choices import GridKind, Level


class Region(models.Model):
    """An administrative division keyed by its official code (a materialised path)."""

    scope_field = "code"
    scope_reads = "map"

    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("全称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=50)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # GeoJSON geometry (EPSG:4326); communities need one for gap detection.
    boundary = models.JSONField(_("边界"), null=True, blank=True)
    retired_on = models.DateField(_("撤销日期"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.short_name or self.name


class GridQuerySet(ScopedQuerySet["Grid"]):
    def current(self) -> GridQuerySet:
        return self.filter(retired_on__isnull=True)


class Grid(models.Model):
    """A grid (网格): the smallest unit of responsibility, inside exactly one community."""

    scope_field = "code"
    scope_reads = "map"

    code = models.CharField(_("网格编码"), max_length=15, unique=True)
    name = models.CharField(_("网格名称"), max_length=100)
    community = models.ForeignKey(
        Region,
        verbose_name=_("所属社区"),
        on_delete=models.PROTECT,
        related_name="grids",
        limit_choices_to={"level": Level.COMMUNITY},
    )
    kind = models.CharField(
        _("类型"), max_length=20, choices=GridKind.choices, default=GridKind.COMPREHENSIVE
    )
    geometry = models.JSONField(_("范围"))
    area_m2 = models.FloatField(_("面积(平方米)"), default=0)
    valid_from = models.DateField(_("启用日期"))
    retired_on = models.DateField(_("停用日期"), null=True, blank=True, db_index=True)
    predecessors = models.ManyToManyField(
        "self", symmetrical=False, related_name="successors", blank=True
    )

    objects = GridQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["geometry"])

    class Meta:
        verbose_name = _("网格")
        verbose_name_plural = _("网格")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}({self.code})"

    @property
    def is_current(self) -> bool:
        return self.retired_on is None

    @property
    def area_display(self) -> str:
        """Square kilometres for a grid of a square kilometre or more (a seven-digit number of
        square metres is hard to read), square metres with separators below that."""
        if self.area_m2 >= 1_000_000:
            return str(_("%(km2).2f 平方公里") % {"km2": self.area_m2 / 1_000_000})
        return str(_("%(m2)s 平方米") % {"m2": f"{self.area_m2:,.0f}"})


class GridIndexVersion(models.Model):
    """A single counter bumped whenever grids change, so every process knows when its
    in-memory STRtree is stale without comparing geometries."""

    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("网格索引版本")

    def __str__(self) -> str:
        return f"v{self.version}"
