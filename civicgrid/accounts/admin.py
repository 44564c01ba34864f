from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from civicgrid.accounts.models import Department, Scope, User


class ScopeInline(admin.TabularInline):
    model = Scope
    extra = 1


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "role", "department", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("username", "full_name")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("CivicGrid", {"fields": ("full_name", "role", "department", "phone")}),
    )
    inlines = [ScopeInline]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "region_code", "retired_on")
    search_fields = ("name", "code")
