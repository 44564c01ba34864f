from __future__ import annotations

import ipaddress
from typing import Any

from django.apps import apps
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from civicgrid.core import audit_chain
from civicgrid.core.client_ip import client_ip
from civicgrid.core.models import AuditEntry

# What the audit administrator reads for each action code written by ``audit_record``. A code
# missing here is shown raw, so a new action is never hidden, only untranslated.
ACTION_LABELS = {
    "unmask": _("查看敏感信息"),
    "export_unmasked": _("导出未脱敏台账"),
    "ledger_export": _("导出台账"),
    "ledger_print": _("打印台账"),
    "track_view": _("查看他人巡查轨迹"),
    "track_onduty": _("查看在岗地图轨迹"),
    "person_merge": _("合并重复人员"),
    "grid_split": _("拆分网格"),
    "grid_merge": _("合并网格"),
    "account_create": _("创建账户"),
    "account_update": _("修改账户"),
    "account_scopes": _("调整管辖范围"),
    "account_enable": _("启用账户"),
    "account_disable": _("停用账户"),
    "account_unlock": _("解除登录锁定"),
    "account_password_reset": _("重置密码"),
    "password_change": _("修改本人密码"),
    "otp_enrol": _("设置双因素认证"),
    "otp_verify": _("双因素认证"),
    "otp_recovery_code": _("使用恢复码登录"),
    "otp_reset": _("重置双因素认证"),
    "notice_publish": _("发布通知公告"),
    "assessment_report_download": _("下载考核报告"),
    "volunteers.hours_adjust": _("调整志愿服务时长"),
    "notice_withdraw": _("撤回通知公告"),
    "api_key_create": _("创建 API 密钥"),
    "api_key_revoke": _("吊销 API 密钥"),
    "worklog_view": _("查看他人民情日志"),
    "worklog_export": _("导出工作量统计"),
    "login_failed": _("登录失败"),
    "login_lockout": _("登录锁定"),
    "audit_verify": _("校验审计链"),
    # Break-glass command on the server (manage.py admin_account): the only way the three
    # administrator accounts are created, reset or retired (三权分立).
    "admin_account_create": _("应急创建管理员账户"),
    "admin_account_reset": _("应急重置管理员密码"),
    "admin_account_retire": _("应急停用管理员账户"),
}

FIELD_LABELS = {
    "id_number": _("身份证号"),
    "phone": _("电话"),
    "address": _("详细住址"),
    "ledger": _("台账"),
    "track": _("巡查轨迹"),
    # A work log lists patrols, visits, cases, ledger edits and tasks as entries, never the
    # track points, and its export holds counts per worker: neither is "track".
    "worklog": _("民情日志"),
    "worklog_stats": _("工作量统计"),
    "full_name": _("姓名"),
    "role": _("角色"),
    "scopes": _("管辖范围"),
    "department": _("所属部门"),
    "email": _("电子邮箱"),
    "is_active": _("启用状态"),
    "perms": _("敏感数据权限"),
    "api_key": _("API 密钥"),
    "…": "…",
}

RESULT_LABELS = {"ok": _("成功"), "denied": _("拒绝")}

# Written before anyone is signed in: an entry of these without an actor was not the system.
SIGNED_OUT_ACTIONS = frozenset({"login_failed", "login_lockout"})


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))


def field_label(fields: str) -> str:
    """``"id_number,phone"`` → ``"身份证号、电话"``; unknown names stay as written."""
    return "、".join(str(FIELD_LABELS.get(f, f)) for f in fields.split(",") if f)


def result_label(code: str) -> str:
    return str(RESULT_LABELS.get(code, code))


def target_label(target_type: str, target_id: str) -> str:
    """``"registry.person", "60"`` → ``"人员 #60"`` from the model's verbose name, without
    loading the row (a page of entries costs no query per entry)."""
    if not target_type:
        return ""
    try:
        model = apps.get_model(target_type)
    except (LookupError, ValueError):
        return f"{target_type} #{target_id}"
    return f"{model._meta.verbose_name} #{target_id}"


def audit_ip(request: HttpRequest | None) -> str | None:
    """The client address stored with an entry: always a valid IP from ``core.client_ip`` (the
    same answer the login lockout uses) or nothing; a forged forwarding header never reaches
    the trail as text."""
    found = client_ip(request)
    try:
        return str(ipaddress.ip_address(found)) if found else None
    except ValueError:
        return None


def audit_record(
    *,
    actor: Any,
    action: str,
    target: Any,
    field: str = "",
    reason: str = "",
    request: HttpRequest | None = None,
    result: str = "ok",
) -> AuditEntry:
    limit = AuditEntry._meta.get_field("field").max_length or 50
    if len(field) > limit:
        # Keep whole field names: the full list of changes is in the reason.
        field = field[: field.rfind(",", 0, limit - 1)] + ",…"
    if target is None:
        # A sign-in failure for a user name nobody has: there is nothing to point at.
        target_type, target_id = "", ""
    elif hasattr(target, "_meta"):
        target_type, target_id = target._meta.label_lower, str(target.pk)
    else:
        target_type, target_id = str(type(target)), str(getattr(target, "pk", target))
    return audit_chain.append(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        field=field,
        reason=reason,
        ip=audit_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "")[:200] if request else ""),
        result=result,
    )
