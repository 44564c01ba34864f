from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    GRID_WORKER = "gridworker", _("网格员上报")
    RESIDENT = "resident", _("居民诉求")
    HOTLINE = "hotline", _("12345热线")
    WALK_IN = "walkin", _("来访")
    HIGHER_LEVEL = "higher", _("上级交办")
    # Requests from outside apps through the Open311 GeoReport v2 server (civicgrid.integrations).
    OPEN311 = "open311", _("Open311接口")


# What a grid worker files: what they found, or what a resident told them face to face.
WORKER_CHANNELS = (Channel.GRID_WORKER, Channel.WALK_IN)


class CaseStatus(models.TextChoices):
    REPORTED = "reported", _("待受理")
    ACCEPTED = "accepted", _("已立案待分流")
    COMMUNITY = "community", _("社区处置中")
    COUNCIL = "council", _("议事会议程")
    TO_DISPATCH = "to_dispatch", _("待派遣")
    DISPATCHED = "dispatched", _("待签收")
    HANDLING = "handling", _("部门处置中")
    EXTENSION_PENDING = "extension", _("延期待审批")
    DEFERRED = "deferred", _("缓办")
    ON_HOLD = "on_hold", _("挂账")
    TO_VERIFY = "to_verify", _("待核查")
    CLOSED = "closed", _("已结案")
    VOIDED = "voided", _("已注销")
    MERGED = "merged", _("已合并")


# Terminal states never return to work; CLOSED can be reopened by an unsatisfied resident.
FINAL_STATUSES = frozenset({CaseStatus.VOIDED, CaseStatus.MERGED})
DONE_STATUSES = frozenset({CaseStatus.CLOSED, CaseStatus.VOIDED, CaseStatus.MERGED})
OPEN_STATUSES = frozenset(set(CaseStatus) - DONE_STATUSES)

# The note (and supervise reason) the system writes when it escalates an overdue case. Stored
# as written, in Chinese, like every note a person types.
ESCALATION_NOTE = "超期自动督办"


class Stage(models.TextChoices):
    """A stretch of work with its own time limit (职责清单 per stage)."""

    ACCEPT = "accept", _("受理")
    DISPATCH = "dispatch", _("分流派遣")
    HANDLE = "handle", _("处置")
    VERIFY = "verify", _("核查")
    # Deferred and held cases have no running clock.
    PAUSED = "paused", _("暂停计时")
    DONE = "done", _("已完成")


STAGE_OF_STATUS: dict[str, Stage] = {
    CaseStatus.REPORTED: Stage.ACCEPT,
    CaseStatus.ACCEPTED: Stage.DISPATCH,
    CaseStatus.TO_DISPATCH: Stage.DISPATCH,
    CaseStatus.COMMUNITY: Stage.HANDLE,
    CaseStatus.COUNCIL: Stage.HANDLE,
    CaseStatus.DISPATCHED: Stage.HANDLE,
    CaseStatus.HANDLING: Stage.HANDLE,
    CaseStatus.EXTENSION_PENDING: Stage.HANDLE,
    CaseStatus.TO_VERIFY: Stage.VERIFY,
    CaseStatus.DEFERRED: Stage.PAUSED,
    CaseStatus.ON_HOLD: Stage.PAUSED,
    CaseStatus.CLOSED: Stage.DONE,
    CaseStatus.VOIDED: Stage.DONE,
    CaseStatus.MERGED: Stage.DONE,
}


class Action(models.TextChoices):
    ACCEPT = "accept", _("立案")
    VOID = "void", _("注销")
    ROUTE = "route", _("分流")
    DISPATCH = "dispatch", _("派遣")
    SIGN_FOR = "sign_for", _("签收")
    RETURN = "return", _("回退")
    FEEDBACK = "feedback", _("处置反馈")
    REQUEST_EXTENSION = "request_extension", _("申请延期")
    APPROVE_EXTENSION = "approve_extension", _("批准延期")
    REJECT_EXTENSION = "reject_extension", _("驳回延期")
    DEFER = "defer", _("缓办")
    HOLD = "hold", _("挂账")
    RESUME = "resume", _("恢复办理")
    VERIFY = "verify", _("核查通过")
    REWORK = "rework", _("核查不通过返工")
    EVALUATE = "evaluate", _("评价")
    REOPEN = "reopen", _("重新办理")
    SUPERVISE = "supervise", _("督办")
    REASSIGN = "reassign", _("转交")
    MERGE = "merge", _("合并")
    # Written by case_report only; never a transition a user can choose.
    REPORT = "report", _("上报")


class HandlingLevel(models.TextChoices):
    COMMUNITY = "community", _("社区处置")
    COUNCIL = "council", _("议事会协商")
    STREET = "street", _("上报街道")
    DEPARTMENT = "department", _("派遣部门")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


class CategoryKind(models.TextChoices):
    EVENT = "event", _("城市管理事件")
    COMMUNITY = "community", _("社区工作事项")
