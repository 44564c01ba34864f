from django.db import models
from django.utils.translation import gettext_lazy as _

from civicgrid.accounts.choices import Role


class NoticeKind(models.TextChoices):
    NOTICE = "notice", _("通知公告")
    POLICY = "policy", _("政策宣传")


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PENDING = "pending", _("待审核")
    RETURNED = "returned", _("已退回")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


# Staff who write notices for the people of their jurisdiction (docs/architecture.md
# "Community portal"). A cadre drafts; the secretary publishes for a community, the street
# command centre for a street; the system administrator may do both.
NOTICE_STAFF = frozenset({Role.CADRE, Role.SECRETARY, Role.COMMAND, Role.SYSADMIN})
NOTICE_PUBLISHERS = frozenset({Role.SECRETARY, Role.COMMAND, Role.SYSADMIN})
# Who may publish a notice that reaches a whole street (or more).
STREET_PUBLISHERS = frozenset({Role.COMMAND, Role.SYSADMIN})

# Who edits grid workers' public cards (挂牌信息): the worker's own secretary or command centre,
# the system administrator, and the worker for their own card.
CARD_EDITORS = frozenset({Role.SECRETARY, Role.COMMAND, Role.SYSADMIN, Role.GRID_WORKER})


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    REJECTED = "rejected", _("已驳回")


# Who confirms that a resident lives in the community they claim: the community secretary
# (docs/architecture.md "Community portal"). The list names residents, so it is ledger-grade
# data of the community (``ResidentCommunity.scope_reads``).
RESIDENT_CONFIRMERS = frozenset({Role.SECRETARY})
