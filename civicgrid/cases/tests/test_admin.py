"""The system administrator edits categories and the responsibility list in the admin."""

from django.test import Client

from civicgrid.accounts.models import User
from civicgrid.cases.models import Category, ResponsibilityRule
from civicgrid.testing.users import RoleUsers


def admin_client(client: Client, users: RoleUsers) -> Client:
    User.objects.filter(pk=users.sysadmin.pk).update(is_staff=True, is_superuser=True)
    client.force_login(User.objects.get(pk=users.sysadmin.pk))
    return client


def test_rule_list_and_category_page_open(client: Client, users: RoleUsers) -> None:
    c = admin_client(client, users)
    assert c.get("/admin/cases/responsibilityrule/").status_code == 200
    category = Category.objects.get(code="0102")
    assert c.get(f"/admin/cases/category/{category.pk}/change/").status_code == 200


def test_rule_cannot_be_deleted(client: Client, users: RoleUsers) -> None:
    c = admin_client(client, users)
    rule = ResponsibilityRule.objects.first()
    assert rule is not None
    response = c.get(f"/admin/cases/responsibilityrule/{rule.pk}/delete/")
    assert response.status_code in (302, 403)
    assert ResponsibilityRule.objects.filter(pk=rule.pk).exists()
