"""The ledgers (人、地、物、组织): buildings, dwellings, households, people, organisations and
the tags of care and special groups. Every row carries its grid and an indexed ``grid_code``
(rule 1); ID numbers, phones and detailed addresses are encrypted with a blind index (rule 3);
nothing is deleted, rows are retired with a date (rule 4)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from civicgrid.core.pii import EncryptedTextField
from civicgrid.geo.models import Grid
from civicgrid.registry import identity
from civicgrid.registry.choices import (
    PARTY_STATUSES,
    BuildingType,
    DocumentType,
    DwellingUse,
    Education,
    FloatReason,
    HazardLevel,
    HouseholdKind,
    ImportKind,
    ImportStatus,
    LodgingType,
    MaritalStatus,
    MoveKind,
    Occupancy,
    OrganizationKind,
    PersonStatus,
    PoliticalStatus,
    Presence,
    Relation,
    RentalType,
    Residency,
    Sex,
    TagGroup,
)
from civicgrid.registry.querysets import (
    BuildingQuerySet,
    DwellingQuerySet,
    HouseholdQuerySet,
    ImportJobQuerySet,
    OrganizationQuerySet,
    PersonMoveQuerySet,
    PersonQuerySet,
    PersonTagQuerySet,
)

# The earliest date a ledger event may carry: anything before is a typing error, and far-off
# years break spreadsheets and some database date types.
EARLIEST_EVENT_DATE = date(1900, 1, 1)


def validate_event_date(value: date | None) -> None:
    """A date something happened on (moved in or out, arrived, died): not before 1900 and not
    in the future. The model fields, the forms built from them and the API schemas all use
    this one validator, so every door gives the same Chinese message."""
    if value is None:
        return
    if value < EARLIEST_EVENT_DATE:
        raise ValidationError(
            _("日期不能早于%(d)s") % {"d": EARLIEST_EVENT_DATE.isoformat()}, code="too_early"
        )
    if value > timezone.localdate():
        raise ValidationError(_("日期不能晚于今天"), code="in_future")


def clean_phone_field(obj: models.Model, name: str) -> None:
    """Normalise a phone field in place through the one validator the imports also use."""
    value = getattr(obj, name)
    if not value:
        return
    try:
        setattr(obj, name, identity.normalise_phone(value))
    except ValidationError as exc:
        raise ValidationError({name: exc.messages}) from exc


class LedgerHistory(HistoricalRecords):
    """History of a ledger table. It is read one record at a time (by the record's id, newest
    first) and never searched by its other columns, so only the id and the history columns
    keep an index: every index copied from the live table made each imported or edited row
    cost a second round of index writes (docs/scaling.md, "Import")."""

    def copy_fields(self, model: type[models.Model]) -> dict[str, models.Field[Any, Any]]:
        fields = super().copy_fields(model)
        for name, field in fields.items():
            if name != model._meta.pk.name:
                field.db_index = False
        return fields


class LedgerRow(models.Model):
    """Columns every ledger row shares: its grid, retirement date and last verification."""

    # Ledger rows are read only by LEDGER_READERS (accounts.choices.READS), inside their codes.
    scope_reads = "ledgers"

    grid = models.ForeignKey(
        Grid, verbose_name=_("所属网格"), on_delete=models.PROTECT, related_name="%(class)ss"
    )
    grid_code = models.CharField(_("网格编码"), max_length=15, db_index=True, editable=False)
    last_verified_on = models.DateField(_("最近核实日期"), null=True, blank=True, db_index=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核实人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    retired_on = models.DateField(_("注销日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.sync_grid_code()
        super().save(*args, **kwargs)

    def sync_grid_code(self) -> None:
        if self.grid_id:
            self.grid_code = self.grid.code


class Building(LedgerRow):
    address = models.CharField(_("楼栋地址"), max_length=200)
    name = models.CharField(_("楼栋名称"), max_length=100, blank=True)
    lat = models.FloatField(_("纬度"), validators=[MinValueValidator(-90), MaxValueValidator(90)])
    lng = models.FloatField(_("经度"), validators=[MinValueValidator(-180), MaxValueValidator(180)])
    floors = models.PositiveSmallIntegerField(_("层数"), default=1)
    units = models.PositiveSmallIntegerField(_("单元数"), default=1)
    building_type = models.CharField(
        _("楼栋类型"), max_length=20, choices=BuildingType.choices, default=BuildingType.RESIDENTIAL
    )
    property_manager = models.CharField(_("物业服务单位"), max_length=100, blank=True)

    objects = BuildingQuerySet.as_manager()
    history = LedgerHistory()

    class Meta:
        verbose_name = _("楼栋")
        verbose_name_plural = _("楼栋")
        ordering = ["grid_code", "address"]
        constraints = [
            # The import's natural key: one current building per address in a grid.
            models.UniqueConstraint(
                fields=["grid", "address"],
                condition=Q(retired_on__isnull=True),
                name="registry_building_one_address_per_grid",
                violation_error_message=_("本网格已有相同地址的楼栋"),
            )
        ]

    def __str__(self) -> str:
        return self.name or self.address


class Dwelling(LedgerRow):
    building = models.ForeignKey(
        Building, verbose_name=_("所属楼栋"), on_delete=models.PROTECT, related_name="dwellings"
    )
    unit = models.CharField(_("单元"), max_length=10, blank=True)
    floor = models.SmallIntegerField(_("楼层"), null=True, blank=True)
    room = models.CharField(_("房号"), max_length=20)
    use = models.CharField(
        _("房屋用途"), max_length=20, choices=DwellingUse.choices, default=DwellingUse.RESIDENTIAL
    )
    occupancy = models.CharField(
        _("居住状态"),
        max_length=20,
        choices=Occupancy.choices,
        default=Occupancy.UNKNOWN,
        db_index=True,
    )
    area_m2 = models.DecimalField(
        _("面积(平方米)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    lessor_name = models.CharField(_("出租人"), max_length=50, blank=True)
    lessor_phone = EncryptedTextField(_("出租人电话"), blank=True)
    rental_type = models.CharField(
        _("出租类型"), max_length=20, choices=RentalType.choices, blank=True
    )
    hazard_level = models.CharField(
        _("出租房屋隐患等级"), max_length=10, choices=HazardLevel.choices, blank=True
    )

    objects = DwellingQuerySet.as_manager()
    history = LedgerHistory()

    class Meta:
        verbose_name = _("房屋")
        verbose_name_plural = _("房屋")
        ordering = ["building_id", "unit", "floor", "room"]
        constraints = [
            models.UniqueConstraint(
                fields=["building", "unit", "room"],
                condition=Q(retired_on__isnull=True),
                name="registry_dwelling_one_room_per_unit",
                violation_error_message=_("该楼栋同一单元已有此房号"),
            )
        ]

    def __str__(self) -> str:
        unit = f"{self.unit}单元" if self.unit else ""
        return f"{unit}{self.room}"

    def clean(self) -> None:
        if self.occupancy != Occupancy.RENTED and (self.rental_type or self.hazard_level):
            raise ValidationError({"rental_type": _("只有出租房屋才填写出租类型和隐患等级")})
        clean_phone_field(self, "lessor_phone")


class Household(LedgerRow):
    dwelling = models.ForeignKey(
        Dwelling, verbose_name=_("住所"), on_delete=models.PROTECT, related_name="households"
    )
    number = models.CharField(_("户号"), max_length=30, blank=True, db_index=True)
    kind = models.CharField(
        _("户别"), max_length=20, choices=HouseholdKind.choices, default=HouseholdKind.REGISTERED
    )
    head = models.ForeignKey(
        "Person",
        verbose_name=_("户主"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = HouseholdQuerySet.as_manager()
    history = LedgerHistory()

    class Meta:
        verbose_name = _("住户")
        verbose_name_plural = _("住户")
        ordering = ["grid_code", "number", "pk"]

    def __str__(self) -> str:
        return self.number or f"{self.dwelling}"


class Person(LedgerRow):
    name = models.CharField(_("姓名"), max_length=50)
    former_name = models.CharField(_("曾用名"), max_length=50, blank=True)
    name_initials = models.CharField(_("姓名拼音首字母"), max_length=40, blank=True, editable=False)
    document_type = models.CharField(
        _("证件类型"), max_length=20, choices=DocumentType.choices, default=DocumentType.RESIDENT_ID
    )
    id_number = EncryptedTextField(_("证件号码"), blank=True)
    id_number_index = models.CharField(max_length=40, blank=True, editable=False)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    sex = models.CharField(_("性别"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    ethnicity = models.CharField(_("民族"), max_length=20, blank=True)
    phone = EncryptedTextField(_("联系电话"), blank=True)
    phone_index = models.CharField(max_length=40, blank=True, editable=False)
    address = EncryptedTextField(_("详细住址"), blank=True)
    address_index = models.CharField(max_length=40, blank=True, editable=False)
    hukou_place = models.CharField(_("户籍地"), max_length=100, blank=True)
    residency = models.CharField(
        _("人口类型"),
        max_length=20,
        choices=Residency.choices,
        default=Residency.REGISTERED,
        db_index=True,
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("所属住户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    relation = models.CharField(
        _("与户主关系"), max_length=20, choices=Relation.choices, blank=True
    )
    presence = models.CharField(
        _("人户状态"), max_length=30, choices=Presence.choices, default=Presence.CONSISTENT
    )
    dwelling = models.ForeignKey(
        Dwelling,
        verbose_name=_("现住房屋"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="residents",
    )
    workplace = models.CharField(_("工作单位"), max_length=100, blank=True)
    occupation = models.CharField(_("职业"), max_length=50, blank=True)
    education = models.CharField(
        _("文化程度"), max_length=20, choices=Education.choices, blank=True
    )
    marital_status = models.CharField(
        _("婚姻状况"), max_length=20, choices=MaritalStatus.choices, blank=True
    )
    political_status = models.CharField(
        _("政治面貌"), max_length=20, choices=PoliticalStatus.choices, blank=True
    )
    is_party_member = models.BooleanField(_("党员"), default=False, db_index=True, editable=False)
    moved_in_on = models.DateField(
        _("迁入日期"), null=True, blank=True, validators=[validate_event_date]
    )
    moved_out_on = models.DateField(
        _("迁出日期"), null=True, blank=True, validators=[validate_event_date]
    )
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=PersonStatus.choices,
        default=PersonStatus.LIVING,
        db_index=True,
    )
    died_on = models.DateField(
        _("死亡日期"), null=True, blank=True, validators=[validate_event_date]
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("合并至"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Floating population (流动人口) only.
    float_reason = models.CharField(
        _("流入原因"), max_length=20, choices=FloatReason.choices, blank=True
    )
    arrived_on = models.DateField(
        _("来本地日期"), null=True, blank=True, validators=[validate_event_date]
    )
    expected_stay_months = models.PositiveSmallIntegerField(
        _("预计居住时长(月)"), null=True, blank=True
    )
    lodging_type = models.CharField(
        _("住所类型"), max_length=20, choices=LodgingType.choices, blank=True
    )

    objects = PersonQuerySet.as_manager()
    history = LedgerHistory(excluded_fields=["name_initials"])

    class Meta:
        verbose_name = _("人口")
        verbose_name_plural = _("人口")
        ordering = ["grid_code", "name", "pk"]
        permissions = [
            ("unmask_pii", _("查看完整证件号码、电话和详细住址(需填写事由)")),
            ("view_special_groups", _("查看特殊人群与重点青少年信息")),
        ]
        # Plain btree indexes: these columns are matched exactly or by range (initials
        # search), so the LIKE-pattern twin PostgreSQL adds for ``db_index=True`` on a
        # CharField would only cost every import and edit (docs/scaling.md, "Import").
        indexes = [
            # Initials search walks this in order and stops at the page's limit; the grid code
            # is checked in the index, so a community's search skips other people's rows
            # without reading them (0.7 ms instead of 117 ms for 10 M people).
            models.Index(
                fields=["name_initials", "grid_code", "id"], name="registry_person_initials"
            ),
            models.Index(fields=["id_number_index"], name="registry_person_id_index"),
            models.Index(fields=["phone_index"], name="registry_person_phone_index"),
            # The command screen's population panel groups a jurisdiction's living people by
            # birth year, sex and residency: read from this index alone it is a tenth of the
            # table (2.8 s instead of 5-13 s for 10 M people; docs/scaling.md "City-scale run").
            models.Index(
                fields=["grid_code"],
                include=["birth_date", "sex", "residency"],
                condition=Q(retired_on__isnull=True, status=PersonStatus.LIVING),
                name="registry_person_population",
            ),
        ]
        constraints = [
            # Re-imports find the same person by the ID-number blind index. Someone who moved
            # away or died may be registered again; person_merge joins such records.
            models.UniqueConstraint(
                fields=["id_number_index"],
                condition=Q(retired_on__isnull=True, status=PersonStatus.LIVING)
                & ~Q(id_number_index=""),
                name="registry_person_one_living_per_id_number",
                violation_error_message=_("该证件号码已登记为在住人员"),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.fill_derived()
        super().save(*args, **kwargs)

    def fill_derived(self) -> None:
        """Compute the columns derived from others; bulk paths call this before bulk_create."""
        self.name_initials = identity.name_initials(self.name)
        self.id_number_index = identity.id_number_index(self.id_number or "")
        self.phone_index = identity.phone_index(self.phone or "")
        self.address_index = identity.address_index(self.address or "")
        self.is_party_member = self.political_status in PARTY_STATUSES
        if self.id_number and self.document_type == DocumentType.RESIDENT_ID:
            try:
                info = identity.parse_resident_id(self.id_number)
            except ValidationError:
                return
            self.birth_date = info.birth_date
            self.sex = info.sex

    def clean(self) -> None:
        if self.id_number:
            try:
                self.id_number = identity.parse_document(self.document_type, self.id_number).number
            except ValidationError as exc:
                raise ValidationError({"id_number": exc.messages}) from exc
        clean_phone_field(self, "phone")


class Organization(LedgerRow):
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(
        _("类型"),
        max_length=20,
        choices=OrganizationKind.choices,
        default=OrganizationKind.ENTERPRISE,
    )
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    address = models.CharField(_("地址"), max_length=200)
    building = models.ForeignKey(
        Building,
        verbose_name=_("所在楼栋"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organizations",
    )
    lat = models.FloatField(_("纬度"), null=True, blank=True)
    lng = models.FloatField(_("经度"), null=True, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = EncryptedTextField(_("联系电话"), blank=True)
    staff_count = models.PositiveIntegerField(_("从业人数"), null=True, blank=True)

    objects = OrganizationQuerySet.as_manager()
    history = LedgerHistory()

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        ordering = ["grid_code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["uscc"],
                condition=~Q(uscc=""),
                name="registry_organization_unique_uscc",
                violation_error_message=_("该统一社会信用代码已登记"),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.uscc:
            try:
                self.uscc = identity.validate_uscc(self.uscc)
            except ValidationError as exc:
                raise ValidationError({"uscc": exc.messages}) from exc
        clean_phone_field(self, "contact_phone")


class TagKind(models.Model):
    """A care or special group (data, admin-editable). ``attribute_schema`` describes the extra
    attributes a tag of this kind carries, e.g. ``{"risk_level": {"label": "风险等级",
    "type": "int", "min": 0, "max": 5, "required": true}}`` or a ``choice`` with ``choices``."""

    code = models.SlugField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    group = models.CharField(_("类别"), max_length=20, choices=TagGroup.choices)
    sensitive = models.BooleanField(
        _("敏感(需特殊人群权限)"),
        default=False,
        help_text=_("敏感类别的标签及其存在本身只对拥有特殊人群权限的用户可见"),
    )
    attribute_schema = models.JSONField(_("附加属性定义"), default=dict, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    retired_on = models.DateField(_("停用日期"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("人群类别")
        verbose_name_plural = _("人群类别")
        ordering = ["group", "order", "code"]

    def __str__(self) -> str:
        return self.name

    def clean_attributes(self, values: dict[str, Any]) -> dict[str, Any]:
        """Check ``values`` against the schema; returns the typed values or raises a Chinese
        ValidationError keyed by attribute."""
        cleaned: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for key, spec in self.attribute_schema.items():
            label = spec.get("label", key)
            raw: Any = values.get(key)
            if raw in (None, ""):
                if spec.get("required"):
                    errors[key] = _("请填写%(label)s") % {"label": label}
                continue
            if spec.get("type") == "int":
                try:
                    number = int(raw)
                except (TypeError, ValueError):
                    errors[key] = _("%(label)s应为整数") % {"label": label}
                    continue
                low, high = spec.get("min"), spec.get("max")
                if (low is not None and number < low) or (high is not None and number > high):
                    errors[key] = _("%(label)s应在%(low)s至%(high)s之间") % {
                        "label": label,
                        "low": low,
                        "high": high,
                    }
                    continue
                cleaned[key] = number
            elif spec.get("type") == "choice":
                allowed = [c[0] for c in spec.get("choices", [])]
                if raw not in allowed:
                    errors[key] = _("%(label)s的取值无效") % {"label": label}
                    continue
                cleaned[key] = raw
            else:
                cleaned[key] = str(raw)[:200]
        if errors:
            raise ValidationError(errors)
        return cleaned

    def describe(self, values: dict[str, Any]) -> list[tuple[str, str]]:
        """(label, display value) pairs of a tag's attributes, in schema order."""
        out = []
        for key, spec in self.attribute_schema.items():
            if key not in values:
                continue
            value = values[key]
            if spec.get("type") == "choice":
                value = dict(spec.get("choices", [])).get(value, value)
            out.append((spec.get("label", key), str(value)))
        return out


class PersonTag(models.Model):
    scope_reads = "ledgers"

    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="tags"
    )
    kind = models.ForeignKey(
        TagKind, verbose_name=_("类别"), on_delete=models.PROTECT, related_name="tags"
    )
    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="+")
    grid_code = models.CharField(max_length=15, db_index=True, editable=False)
    attributes = models.JSONField(_("附加属性"), default=dict, blank=True)
    started_on = models.DateField(_("起始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = PersonTagQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("人群标签")
        verbose_name_plural = _("人群标签")
        ordering = ["kind__group", "kind__order", "started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=Q(ended_on__isnull=True),
                name="registry_persontag_one_active_per_kind",
                violation_error_message=_("该人员已有此类别的有效标签"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.kind}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.grid_id:
            self.grid_code = self.grid.code
        super().save(*args, **kwargs)


class PersonMove(models.Model):
    """One move of a person: both the old and the new grid can read it."""

    scope_reads = "ledgers"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="moves")
    kind = models.CharField(_("类型"), max_length=10, choices=MoveKind.choices)
    moved_on = models.DateField(_("日期"))
    from_grid_code = models.CharField(_("原网格"), max_length=15, blank=True, db_index=True)
    to_grid_code = models.CharField(_("新网格"), max_length=15, blank=True, db_index=True)
    from_dwelling = models.ForeignKey(
        Dwelling, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_dwelling = models.ForeignKey(
        Dwelling, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    destination = models.CharField(_("去向"), max_length=200, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    objects = PersonMoveQuerySet.as_manager()

    class Meta:
        verbose_name = _("人口迁移记录")
        verbose_name_plural = _("人口迁移记录")
        ordering = ["-moved_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()} {self.moved_on}"


class RequiredField(models.Model):
    """A person field the completeness audit requires (data, admin-editable)."""

    field_name = models.CharField(_("字段"), max_length=50, unique=True)
    label = models.CharField(_("名称"), max_length=50)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("人口必填项")
        verbose_name_plural = _("人口必填项")
        ordering = ["field_name"]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        names = {f.name for f in Person._meta.get_fields() if getattr(f, "concrete", False)}
        if self.field_name not in names:
            raise ValidationError({"field_name": _("人口台账中没有这个字段")})


class LedgerPolicy(models.Model):
    """Thresholds of the completeness audit and the grid-size check (one row, admin-edited)."""

    stale_after_days = models.PositiveSmallIntegerField(_("超过多少天未核实视为过期"), default=180)
    households_min = models.PositiveIntegerField(_("每网格户数下限"), default=300)
    households_max = models.PositiveIntegerField(_("每网格户数上限"), default=500)
    people_max = models.PositiveIntegerField(_("每网格人口上限"), default=2500)

    class Meta:
        verbose_name = _("台账核查标准")
        verbose_name_plural = _("台账核查标准")

    def __str__(self) -> str:
        return str(_("台账核查标准"))

    @classmethod
    def current(cls) -> LedgerPolicy:
        policy = cls.objects.order_by("pk").first()
        return policy or cls()


class ImportJob(models.Model):
    kind = models.CharField(_("导入类型"), max_length=30, choices=ImportKind.choices)
    file = models.FileField(_("文件"), upload_to="imports/%Y/%m/")
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=ImportStatus.choices,
        default=ImportStatus.PENDING,
        db_index=True,
    )
    total_rows = models.PositiveIntegerField(_("总行数"), default=0)
    processed_rows = models.PositiveIntegerField(_("已处理"), default=0)
    created_count = models.PositiveIntegerField(_("新增"), default=0)
    updated_count = models.PositiveIntegerField(_("更新"), default=0)
    unchanged_count = models.PositiveIntegerField(_("未变化"), default=0)
    error_count = models.PositiveIntegerField(_("错误"), default=0)
    # [{"row": 3, "column": "身份证号", "value": "…", "reason": "…"}, …]
    errors = models.JSONField(_("错误明细"), default=list, blank=True)
    scope_code = models.CharField(_("导入范围"), max_length=15, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    scope_field = "scope_code"
    scope_reads = "ledgers"
    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def percent(self) -> int:
        return int(self.processed_rows * 100 / self.total_rows) if self.total_rows else 0
