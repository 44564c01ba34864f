from django.db import models
from django.utils.translation import gettext_lazy as _

from civicgrid.accounts.choices import Role


class MemberRole(models.TextChoices):
    RESIDENT_REP = "resident_rep", _("居民代表")
    PARTY_MEMBER = "party_member", _("党员代表")
    CADRE = "cadre", _("社区干部")
    OTHER = "other", _("其他代表")


class PassBase(models.TextChoices):
    # 过半数 of the votes cast (赞成+反对+弃权) or of the members present.
    CAST = "cast", _("实际投票")
    PRESENT = "present", _("出席人数")


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    CONVENED = "convened", _("会议进行中")
    CLOSED = "closed", _("已闭会")


class VoteChoice(models.TextChoices):
    FOR = "for", _("赞成")
    AGAINST = "against", _("反对")
    ABSTAIN = "abstain", _("弃权")


class ItemKind(models.TextChoices):
    CASE = "case", _("事件")
    PROPOSAL = "proposal", _("居民议题")


class Decision(models.TextChoices):
    # For a case item: the four ways a council moves the case on (cases.workflow).
    COMMUNITY = "community", _("交社区处置")
    STREET = "street", _("上报街道")
    RESOLVED = "resolved", _("议事会协商解决")
    VOID = "void", _("作废")
    # For a resident proposal.
    ADOPTED = "adopted", _("采纳并落实")
    DECLINED = "declined", _("不予采纳")


CASE_DECISIONS = (Decision.COMMUNITY, Decision.STREET, Decision.RESOLVED, Decision.VOID)
PROPOSAL_DECISIONS = (Decision.ADOPTED, Decision.DECLINED)


class FollowUp(models.TextChoices):
    IN_PROGRESS = "in_progress", _("落实中")
    DONE = "done", _("已落实")


class ProposalStatus(models.TextChoices):
    COLLECTING = "collecting", _("征集支持中")
    READY = "ready", _("待列入议程")
    ON_AGENDA = "on_agenda", _("已列入议程")
    RESOLVED = "resolved", _("已形成决议")
    DECLINED = "declined", _("不予采纳")


# Who sees the councils of their community (docs/architecture.md "议事会"): the community's
# secretary and cadres, the street command centre over its communities, the system admin.
COUNCIL_READERS = frozenset({Role.SECRETARY, Role.CADRE, Role.COMMAND, Role.SYSADMIN})
# Who holds the meetings and records votes and resolutions: the community desk (the same roles
# that may move a council case on in cases.workflow), and the system administrator.
COUNCIL_KEEPERS = frozenset({Role.SECRETARY, Role.CADRE, Role.SYSADMIN})
# Proposal pages: residents of the community, and the staff who read its council.
PROPOSAL_USERS = frozenset({Role.RESIDENT, *COUNCIL_READERS})
RESIDENTS = frozenset({Role.RESIDENT})
