"""Departments are configuration the system administrator maintains. Accounts, scopes, groups
and permissions are deliberately absent from Django admin (三权分立): the security
administrator manages them at /accounts/manage/, where every change is validated and audited."""

from django.contrib import admin
from django.contrib.auth.models import Group

from civicgrid.accounts.models import Department

# django.contrib.auth registers Group on the default site before this app is autodiscovered.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "region_code", "retired_on")
    list_filter = ("retired_on",)
    search_fields = ("name", "code")
