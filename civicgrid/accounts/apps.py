from typing import Any

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.core.checks import CheckMessage
from django.utils.translation import gettext_lazy as _

from civicgrid.accounts.choices import ACCOUNT_MANAGERS, AUDIT_READERS, Role


class AccountsConfig(AppConfig):
    default = True
    name = "civicgrid.accounts"
    verbose_name = "账户与权限"
    # The same role sets as the pages' policies (accounts.views), so the menu never offers a
    # page that would answer 403.
    nav_group = _("系统管理")
    nav_items = [
        (90, _("审计记录"), "accounts:audit", AUDIT_READERS),
        (91, _("账户管理"), "accounts:account_list", ACCOUNT_MANAGERS),
    ]

    def ready(self) -> None:
        from django.core import checks

        from civicgrid.core.widgets import register_calendar_roles

        checks.register(_scope_codes_checkable)

        from django.contrib.auth.signals import user_logged_in

        from civicgrid.accounts.middleware import note_second_factor

        user_logged_in.connect(note_second_factor, dispatch_uid="civicgrid-second-factor")

        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_login_failed

        from civicgrid.accounts import login_audit

        user_login_failed.connect(
            login_audit.on_login_failed, dispatch_uid="civicgrid-login-failed"
        )
        user_locked_out.connect(login_audit.on_locked_out, dispatch_uid="civicgrid-locked-out")

        # core knows no roles (docs/architecture.md "Layout"): the app defining them tells the
        # calendar panel who is warned (those who plan deadlines) and who may fix the table.
        register_calendar_roles(viewers={Role.SYSADMIN, Role.COMMAND}, editors={Role.SYSADMIN})


def _scope_codes_checkable(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Scope codes are checked against the regions and grids the geo app registers through
    ``accounts.hooks``; without that registration a typo'd code would be accepted silently."""
    from django.core.checks import Warning

    from civicgrid.accounts.hooks import code_lookup_registered

    if code_lookup_registered():
        return []
    return [
        Warning(
            "没有应用登记区划/网格编码查询(accounts.hooks.register_code_lookup),"
            "管辖范围编码只能检查格式,无法核验是否存在。",
            id="accounts.W001",
        )
    ]


class CivicAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "civicgrid.accounts.admin_site.CivicAdminSite"
