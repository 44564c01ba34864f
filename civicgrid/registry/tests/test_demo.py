from io import StringIO

import pytest
from django.db import connection

from civicgrid.accounts.models import User
from civicgrid.dashboard.demo import build_accounts
from civicgrid.geo.demo import build_geo
from civicgrid.registry.demo import build_registry
from civicgrid.registry.identity import parse_resident_id, validate_uscc
from civicgrid.registry.models import Household, Organization, Person, PersonTag
from civicgrid.registry.selectors import completeness


def _everyone() -> User:
    """A superuser: the completeness audit over the whole demo city."""
    return User.objects.create_superuser(username="audit-all", password="x")


@pytest.fixture
def demo(db: object) -> dict[str, int]:
    city = build_geo(size_name="small", seed=7)
    build_accounts(city)
    # Ledgers for six grids are enough to check their shape and keep the test quick.
    city.grids = city.grids[:6]
    return build_registry(city, StringIO())


def test_demo_people_have_valid_ids_and_sit_in_their_grid(demo: dict[str, int]) -> None:
    sample = list(Person.objects.select_related("dwelling")[:200])
    for person in sample:
        parse_resident_id(person.id_number)
        assert person.dwelling is None or person.dwelling.grid_code == person.grid_code
    assert Person.objects.filter(residency="floating").exists()
    assert Person.history.count() >= demo["people"]


def test_demo_organisations_have_valid_credit_codes(demo: dict[str, int]) -> None:
    for code in Organization.objects.exclude(uscc="").values_list("uscc", flat=True):
        validate_uscc(code)


def test_demo_has_special_groups_and_gaps_for_the_audit(demo: dict[str, int]) -> None:
    assert PersonTag.objects.filter(kind__sensitive=True).exists()
    assert Household.objects.filter(head__isnull=True).exists()
    audit = completeness(_everyone())
    street = audit["streets"][0]
    assert street.buildings_without_dwellings > 0
    assert street.dwellings_unaccounted > 0
    assert 0 < street.score < 100


def test_demo_permissions(demo: dict[str, int]) -> None:
    assert User.objects.get(username="secretary").has_perm("registry.view_special_groups")
    assert User.objects.get(username="command").has_perm("registry.unmask_pii")
    worker = User.objects.get(username="gridworker")
    assert not worker.has_perm("registry.unmask_pii")
    assert not worker.has_perm("registry.view_special_groups")


def test_demo_stores_no_plaintext(demo: dict[str, int]) -> None:
    person = Person.objects.exclude(phone="").first()
    assert person is not None
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM registry_person WHERE id = %s", [person.pk])
        raw = cursor.fetchone()
    assert person.id_number not in raw[0] and person.phone not in raw[1]


def test_demo_grid_size_check_flags_outliers_not_every_grid(demo: dict[str, int]) -> None:
    grids = [g for g in completeness(_everyone())["grids"] if g.households]
    flagged = [g for g in grids if g.size_problem]
    assert len(grids) == 6
    assert len(flagged) < len(grids) / 2
