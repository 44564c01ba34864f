from typing import Any

from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin
from django.db.models import Model
from django.http import HttpRequest

from civicgrid.accounts.choices import Role


class NoHardDeleteAdmin(admin.ModelAdmin):
    """Nothing is hard-deleted (rows are retired with a date), whatever permissions a user
    holds. Mixed into every ModelAdmin the site registers, third-party ones included."""

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def get_inline_instances(
        self, request: HttpRequest, obj: Model | None = None
    ) -> list[InlineModelAdmin]:
        inlines = super().get_inline_instances(request, obj)
        for inline in inlines:
            # The inline formset's "删除" checkbox deletes rows as well.
            inline.can_delete = False
        return inlines


class CivicAdminSite(admin.AdminSite):
    """Django admin is the system administrator's tool only (三权分立): the security and
    audit administrators, and every business role, are kept out even if flagged staff.
    Accounts and permissions are not managed here but on the security admin's pages."""

    site_header = "CivicGrid 系统管理"
    site_title = "CivicGrid 系统管理"

    def __init__(self, name: str = "admin") -> None:
        super().__init__(name)
        self.disable_action("delete_selected")

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        base = admin_class or admin.ModelAdmin
        if not issubclass(base, NoHardDeleteAdmin):
            base = type(base.__name__, (NoHardDeleteAdmin, base), {"__module__": base.__module__})
        super().register(model_or_iterable, base, **options)

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(
            user.is_active
            and user.is_staff
            and (user.is_superuser or getattr(user, "role", None) == Role.SYSADMIN)
        )
