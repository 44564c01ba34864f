"""``manage.py build_city`` fills an empty database and refuses one that holds a city."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from civicgrid.cases.models import Case
from civicgrid.registry.models import Person
from civicgrid.testing.city import TestCity


@pytest.mark.django_db
def test_command_builds_into_an_empty_database() -> None:
    out = StringIO()
    call_command("build_city", people=120, cases=30, grids=20, stdout=out)
    assert Person.objects.count() == 120 and Case.objects.count() == 30
    assert "城市已生成" in out.getvalue()


def test_command_refuses_a_database_with_a_city(city: TestCity) -> None:
    with pytest.raises(CommandError, match="已有网格数据"):
        call_command("build_city", people=10, cases=10, stdout=StringIO())
    assert not Person.objects.exists()
