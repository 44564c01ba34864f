"""Break-glass path for the three administrator accounts (三权分立, docs/architecture.md
"Three administrators"). The web application refuses to create or change a system, security or
audit administrator; whoever has shell access to the server does it here, with a reason that
goes to the audit trail:

    manage.py admin_account create --role sysadmin --username wang --reason "新任系统管理员"
    manage.py admin_account reset  --username wang --reason "忘记密码"
    manage.py admin_account retire --username wang --reason "调离"

``create`` and ``reset`` print a random temporary password once; its holder must change it at
first sign-in before reaching any page, Django admin included.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from civicgrid.accounts import services
from civicgrid.accounts.choices import ADMIN_ROLES


class Command(BaseCommand):
    help = "应急处理系统管理员、安全管理员、审计管理员账户(创建、重置密码、停用),操作记入审计。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["create", "reset", "retire"], help="操作")
        parser.add_argument("--username", required=True, help="用户名")
        parser.add_argument(
            "--role",
            choices=sorted(str(r) for r in ADMIN_ROLES),
            help="角色(仅 create):sysadmin 系统管理员、secadmin 安全管理员、auditor 审计管理员",
        )
        parser.add_argument("--full-name", default="", help="姓名(仅 create)")
        parser.add_argument(
            "--scope",
            action="append",
            default=[],
            help="管辖范围编码(仅 create,可重复;审计管理员必填)",
        )
        parser.add_argument("--reason", required=True, help="事由,记入审计记录")
        parser.add_argument(
            "--second-factor",
            action="store_true",
            help="(仅 reset)同时清除双因素认证(手机丢失时),下次登录重新设置",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action, username, reason = options["action"], options["username"], options["reason"]
        try:
            if action == "create":
                if not options["role"]:
                    raise CommandError("create 需要 --role(sysadmin、secadmin 或 auditor)")
                user, password = services.admin_account_create(
                    username=username,
                    role=options["role"],
                    full_name=options["full_name"],
                    scopes=options["scope"],
                    reason=reason,
                )
            elif action == "reset":
                user, password = services.admin_account_reset(
                    username=username, reason=reason, second_factor=options["second_factor"]
                )
            else:
                user = services.admin_account_retire(username=username, reason=reason)
                self.stdout.write(self.style.SUCCESS(f"已停用账户 {user.username}。"))
                return
        except ValidationError as exc:
            raise CommandError(";".join(exc.messages)) from exc
        verb = "已创建" if action == "create" else "已重置"
        self.stdout.write(
            self.style.SUCCESS(f"{verb}账户 {user.username}({user.get_role_display()})。")
        )
        self.stdout.write(f"临时密码:{password}")
        self.stdout.write("请当面或经安全渠道交给本人;首次登录必须修改密码。此密码不会再次显示。")
        if not user.is_active:
            self.stdout.write(self.style.WARNING("注意:该账户已停用,重置密码不会启用它。"))
