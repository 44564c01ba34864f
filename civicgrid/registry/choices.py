from django.db import models
from django.utils.translation import gettext_lazy as _


class BuildingType(models.TextChoices):
    RESIDENTIAL = "residential", _("住宅楼")
    COMMERCIAL = "commercial", _("商业楼宇")
    MIXED = "mixed", _("商住楼")
    OFFICE = "office", _("办公楼")
    PUBLIC = "public", _("公共设施")
    INDUSTRIAL = "industrial", _("厂房仓储")
    BUNGALOW = "bungalow", _("平房/自建房")
    OTHER = "other", _("其他")


class DwellingUse(models.TextChoices):
    RESIDENTIAL = "residential", _("居住")
    COMMERCIAL = "commercial", _("商用")
    MIXED = "mixed", _("商住两用")
    OTHER = "other", _("其他")


class Occupancy(models.TextChoices):
    OWNER = "owner", _("自住")
    RENTED = "rented", _("出租")
    VACANT = "vacant", _("空置")
    UNKNOWN = "unknown", _("未知")


class RentalType(models.TextChoices):
    WHOLE = "whole", _("整租")
    SHARED = "shared", _("合租")
    GROUP = "group", _("群租")
    SHORT = "short", _("短租/民宿")
    COMMERCIAL = "commercial", _("商铺出租")


class HazardLevel(models.TextChoices):
    LOW = "low", _("放心")
    MEDIUM = "medium", _("关注")
    HIGH = "high", _("严管")


class HouseholdKind(models.TextChoices):
    REGISTERED = "registered", _("户籍户")
    FLOATING = "floating", _("流动户")


class DocumentType(models.TextChoices):
    RESIDENT_ID = "ric", _("居民身份证")
    PASSPORT = "passport", _("护照")
    HK_MACAO = "hk_macao", _("港澳居民来往内地通行证")
    TAIWAN = "taiwan", _("台湾居民来往大陆通行证")
    FOREIGN_PR = "foreign_pr", _("外国人永久居留身份证")
    OTHER = "other", _("其他证件")


class Sex(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")
    UNKNOWN = "unknown", _("未说明")


class Residency(models.TextChoices):
    REGISTERED = "registered", _("户籍人口")
    FLOATING = "floating", _("流动人口")
    FOREIGN = "foreign", _("境外人员")
    UNREGISTERED = "unregistered", _("未落户人员")


class Relation(models.TextChoices):
    HEAD = "head", _("户主")
    SPOUSE = "spouse", _("配偶")
    CHILD = "child", _("子女")
    PARENT = "parent", _("父母")
    GRANDCHILD = "grandchild", _("孙子女")
    GRANDPARENT = "grandparent", _("祖父母/外祖父母")
    SIBLING = "sibling", _("兄弟姐妹")
    RELATIVE = "relative", _("其他亲属")
    NON_RELATIVE = "non_relative", _("非亲属")


class Presence(models.TextChoices):
    """人户状态: whether the person lives where their household is registered."""

    CONSISTENT = "consistent", _("人户一致")
    HERE_NOT_REGISTERED = "here_not_registered", _("人在户不在")
    REGISTERED_NOT_HERE = "registered_not_here", _("户在人不在")
    NEITHER = "neither", _("人户均不在")


class Education(models.TextChoices):
    NONE = "none", _("未上过学")
    PRIMARY = "primary", _("小学")
    JUNIOR = "junior", _("初中")
    SENIOR = "senior", _("高中/中专")
    COLLEGE = "college", _("大专")
    BACHELOR = "bachelor", _("本科")
    POSTGRADUATE = "postgraduate", _("研究生")


class MaritalStatus(models.TextChoices):
    SINGLE = "single", _("未婚")
    MARRIED = "married", _("已婚")
    DIVORCED = "divorced", _("离婚")
    WIDOWED = "widowed", _("丧偶")


class PoliticalStatus(models.TextChoices):
    PARTY_MEMBER = "party_member", _("中共党员")
    PROBATIONARY = "probationary", _("中共预备党员")
    LEAGUE = "league", _("共青团员")
    OTHER_PARTY = "other_party", _("民主党派")
    MASSES = "masses", _("群众")


PARTY_STATUSES = frozenset({PoliticalStatus.PARTY_MEMBER, PoliticalStatus.PROBATIONARY})


class PersonStatus(models.TextChoices):
    LIVING = "living", _("在住")
    MOVED_AWAY = "moved_away", _("已迁出")
    DECEASED = "deceased", _("已死亡")
    MERGED = "merged", _("重复已合并")


class FloatReason(models.TextChoices):
    WORK = "work", _("务工")
    BUSINESS = "business", _("经商")
    STUDY = "study", _("就学")
    FAMILY = "family", _("投亲靠友")
    MEDICAL = "medical", _("就医")
    OTHER = "other", _("其他")


class LodgingType(models.TextChoices):
    RENTED = "rented", _("租赁房屋")
    EMPLOYER = "employer", _("单位内部")
    SITE = "site", _("工地现场")
    RELATIVES = "relatives", _("借住亲友家")
    HOTEL = "hotel", _("旅店")
    OWN = "own", _("自购房")
    OTHER = "other", _("其他")


class OrganizationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    SHOP = "shop", _("个体工商户/商铺")
    SOCIAL = "social", _("社会组织")
    INSTITUTION = "institution", _("事业单位")
    GOVERNMENT = "government", _("机关")
    OTHER = "other", _("其他")


class TagGroup(models.TextChoices):
    CARE = "care", _("关爱人群")
    SPECIAL = "special", _("特殊人群")
    KEY_YOUTH = "key_youth", _("重点青少年")


class MoveKind(models.TextChoices):
    MOVE_IN = "in", _("迁入")
    WITHIN = "within", _("辖区内迁移")
    OUT = "out", _("迁出")


class ImportKind(models.TextChoices):
    BUILDING = "building", _("楼栋")
    DWELLING_HOUSEHOLD = "dwelling_household", _("房屋与住户")
    PERSON = "person", _("人口")
    ORGANIZATION = "organization", _("组织")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("排队中")
    RUNNING = "running", _("导入中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")
