from django.contrib import admin
from django.http import HttpRequest

from civicgrid.accounts.choices import Role


class CivicAdminSite(admin.AdminSite):
    """Django admin is the system administrator's tool only (三权分立): the security and
    audit administrators, and every business role, are kept out even if flagged staff."""

    site_header = "CivicGrid 系统管理"
    site_title = "CivicGrid 系统管理"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(
            user.is_active
            and user.is_staff
            and (user.is_superuser or getattr(user, "role", None) == Role.SYSADMIN)
        )
