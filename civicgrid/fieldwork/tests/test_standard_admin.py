"""The system administrator edits the patrol standard (rules as data) in the admin; the
admin site refuses deletes by itself."""

from django.test import Client

from civicgrid.accounts.models import User
from civicgrid.fieldwork.models import PatrolStandard
from civicgrid.testing.users import RoleUsers


def admin_client(client: Client, users: RoleUsers) -> Client:
    User.objects.filter(pk=users.sysadmin.pk).update(is_staff=True, is_superuser=True)
    client.force_login(User.objects.get(pk=users.sysadmin.pk))
    return client


def test_standard_pages_open_and_save(client: Client, users: RoleUsers) -> None:
    c = admin_client(client, users)
    default = PatrolStandard.objects.get(region_prefix="")
    assert c.get("/admin/fieldwork/patrolstandard/").status_code == 200
    page = c.get(f"/admin/fieldwork/patrolstandard/{default.pk}/change/")
    assert page.status_code == 200
    assert "一日双巡" in page.content.decode()
    form = {
        f.name: page.context["adminform"].form.initial.get(f.name, "")
        for f in PatrolStandard._meta.fields
        if f.name != "id"
    }
    form["min_minutes"] = 40
    response = c.post(f"/admin/fieldwork/patrolstandard/{default.pk}/change/", form)
    assert response.status_code == 302
    default.refresh_from_db()
    assert default.min_minutes == 40


def test_standard_cannot_be_deleted(client: Client, users: RoleUsers) -> None:
    c = admin_client(client, users)
    default = PatrolStandard.objects.get(region_prefix="")
    response = c.get(f"/admin/fieldwork/patrolstandard/{default.pk}/delete/")
    assert response.status_code in (302, 403)
    assert PatrolStandard.objects.filter(pk=default.pk).exists()
