from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    default = True
    name = "civicgrid.accounts"
    verbose_name = "账户与权限"


class CivicAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "civicgrid.accounts.admin_site.CivicAdminSite"
