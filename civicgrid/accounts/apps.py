from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True
    name = "civicgrid.accounts"
    verbose_name = "账户与权限"
    nav_items = [
        (90, _("审计记录"), "accounts:audit", ["auditor"]),
        (91, _("账户管理"), "accounts:account_list", ["secadmin"]),
    ]


class CivicAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "civicgrid.accounts.admin_site.CivicAdminSite"
