from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _

from civicgrid.accounts.choices import ACCOUNT_MANAGERS, AUDIT_READERS, Role


class AccountsConfig(AppConfig):
    default = True
    name = "civicgrid.accounts"
    verbose_name = "账户与权限"
    # The same role sets as the pages' policies (accounts.views), so the menu never offers a
    # page that would answer 403.
    nav_items = [
        (90, _("审计记录"), "accounts:audit", AUDIT_READERS),
        (91, _("账户管理"), "accounts:account_list", ACCOUNT_MANAGERS),
    ]

    def ready(self) -> None:
        from civicgrid.core.widgets import register_calendar_roles

        # core knows no roles (docs/architecture.md "Layout"): the app defining them tells the
        # calendar panel who is warned (those who plan deadlines) and who may fix the table.
        register_calendar_roles(viewers={Role.SYSADMIN, Role.COMMAND}, editors={Role.SYSADMIN})


class CivicAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "civicgrid.accounts.admin_site.CivicAdminSite"
