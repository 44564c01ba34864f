"""visible_to and access_object: the one door for lists and single objects (rule 1)."""

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from civicgrid.core.scoping import access_object
from civicgrid.geo.models import Grid
from civicgrid.testing.city import TestCity
from civicgrid.testing.users import RoleUsers


@pytest.mark.django_db
def test_anonymous_and_unscoped_users_see_nothing(city: TestCity, users: RoleUsers) -> None:
    assert not Grid.objects.visible_to(AnonymousUser()).exists()
    assert not Grid.objects.visible_to(users.resident).exists()


@pytest.mark.django_db
def test_several_scopes_are_ored(city: TestCity, users: RoleUsers) -> None:
    from civicgrid.accounts.models import Scope, User

    Scope.objects.create(user=users.worker, code=city.grids["a2"].code)
    worker = User.objects.get(pk=users.worker.pk)
    codes = set(Grid.objects.visible_to(worker).values_list("code", flat=True))
    assert codes == {city.grids["a1_west"].code, city.grids["a2"].code}


@pytest.mark.django_db
def test_a_retired_scope_no_longer_grants_access(city: TestCity, users: RoleUsers) -> None:
    from civicgrid.accounts.models import User

    users.worker.scopes.update(retired_on="2025-06-01")
    assert not Grid.objects.visible_to(User.objects.get(pk=users.worker.pk)).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("pk", ["b1", "missing", "not-a-number"])
def test_out_of_scope_missing_and_malformed_all_look_the_same(
    city: TestCity, users: RoleUsers, pk: Any
) -> None:
    key = {"b1": city.grids["b1"].pk, "missing": 99999, "not-a-number": "abc"}[pk]
    with pytest.raises(Http404):
        access_object(Grid.objects.all(), users.worker, key)


@pytest.mark.django_db
def test_read_only_roles_get_403_when_asking_to_write(city: TestCity, users: RoleUsers) -> None:
    grid = city.grids["a1_west"]
    assert access_object(Grid.objects.all(), users.auditor, grid.pk) == grid
    with pytest.raises(PermissionDenied):
        access_object(Grid.objects.all(), users.auditor, grid.pk, for_write=True)
