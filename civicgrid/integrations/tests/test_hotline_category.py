"""The hotline's category text maps to ours by code, by exact name, else to the fallback with
the text kept in the description."""

from typing import Any

import pytest

from civicgrid.cases.models import Case, Category
from civicgrid.integrations.tests.test_hotline_idempotent import ORDER, post

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "code"),
    [("0101", "0101"), ("__name_of_0101__", "0101"), ("噪音扰民(夜间施工)", "2299")],
)
def test_category_mapping(hotline_key: Any, text: str, code: str) -> None:
    if text == "__name_of_0101__":
        text = Category.objects.get(code="0101").name
    answer = post(hotline_key, {**ORDER, "order_no": f"N{code}", "category": text}).json()
    case = Case.objects.get(number=answer["case_number"])
    assert case.category.code == code == answer["category_code"]
    if code == "2299":
        assert case.description.startswith("【热线分类:噪音扰民(夜间施工)】")


def test_order_without_a_point_is_filed_in_the_key_jurisdiction(
    hotline_key: Any, city: Any
) -> None:
    body = {k: v for k, v in ORDER.items() if k not in ("lat", "lng")}
    answer = post(hotline_key, body).json()
    case = Case.objects.get(number=answer["case_number"])
    assert case.grid_code.startswith(city.street_a.code)
