import pytest
from django.test import RequestFactory

from civicgrid.core.pagination import paginate
from civicgrid.geo.models import Grid
from civicgrid.testing.city import TestCity


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "number"), [("page=2", 2), ("page=99", 4), ("page=x", 1)])
def test_bad_or_too_large_page_numbers_fall_back(city: TestCity, query: str, number: int) -> None:
    request = RequestFactory().get(f"/?size=1&{query}")
    page = paginate(request, Grid.objects.order_by("code"))
    assert page.number == number


@pytest.mark.django_db
def test_page_size_is_capped(city: TestCity) -> None:
    request = RequestFactory().get("/?size=100000")
    assert paginate(request, Grid.objects.order_by("code")).paginator.per_page == 200
