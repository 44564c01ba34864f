"""上报问题 from the patrol page: the case goes through the intake and is linked to the patrol;
only the patrol's own worker may report from it."""

from typing import Any

import pytest

from civicgrid.accounts.choices import Role
from civicgrid.cases.models import Case, Category
from civicgrid.fieldwork.models import PatrolFinding
from civicgrid.fieldwork.tests.page_helpers import make_patrol
from civicgrid.testing.case_pages import ensure_seeded_categories
from civicgrid.testing.users import make_user


@pytest.fixture
def category(db: Any) -> Category:
    ensure_seeded_categories()
    return Category.objects.get(code="0102")


@pytest.mark.django_db
def test_report_from_open_patrol_links_the_case(
    client: Any, users: Any, city: Any, category: Category
) -> None:
    patrol = make_patrol(users.worker, city.grids["a1_west"], ended=False)
    client.force_login(users.worker)
    response = client.post(
        f"/fieldwork/patrols/{patrol.pk}/report/",
        {
            "description": "路口垃圾桶满溢",
            "category": category.pk,
            "lat": "26.505",
            "lng": "106.705",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/fieldwork/patrol/"
    finding = PatrolFinding.objects.get(patrol=patrol)
    assert finding.case.description == "路口垃圾桶满溢"
    assert finding.case.grid_code == city.grids["a1_west"].code


@pytest.mark.django_db
def test_without_a_fix_the_last_point_is_used(
    client: Any, users: Any, city: Any, category: Category
) -> None:
    patrol = make_patrol(users.worker, city.grids["a1_west"], ended=False, points=3)
    client.force_login(users.worker)
    response = client.post(
        f"/fieldwork/patrols/{patrol.pk}/report/",
        {"description": "井盖缺失", "category": category.pk},
    )
    assert response.status_code == 302
    assert Case.objects.get().lat is not None


@pytest.mark.django_db
def test_bad_input_is_told_in_chinese(
    client: Any, users: Any, city: Any, category: Category
) -> None:
    patrol = make_patrol(users.worker, city.grids["a1_west"], ended=False, points=0)
    client.force_login(users.worker)
    response = client.post(
        f"/fieldwork/patrols/{patrol.pk}/report/",
        {"description": "", "category": "nonsense", "lat": "abc"},
    )
    assert response.status_code == 400
    assert "请描述问题" in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_someone_elses_patrol_is_404(
    client: Any, users: Any, city: Any, category: Category
) -> None:
    patrol = make_patrol(users.worker, city.grids["a1_west"], ended=False)
    colleague = make_user("worker2", Role.GRID_WORKER, city.grids["a1_west"].code)
    for user in (colleague, users.outsider):
        client.force_login(user)
        response = client.post(
            f"/fieldwork/patrols/{patrol.pk}/report/",
            {"description": "x", "category": category.pk},
        )
        assert response.status_code == 404
    client.force_login(users.secretary)
    assert client.get(f"/fieldwork/patrols/{patrol.pk}/report/").status_code == 403
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_no_fix_and_no_address_is_refused_in_chinese(
    client: Any, users: Any, city: Any, category: Category
) -> None:
    patrol = make_patrol(users.worker, city.grids["a1_west"], ended=False, points=0)
    client.force_login(users.worker)
    response = client.post(
        f"/fieldwork/patrols/{patrol.pk}/report/",
        {"description": "井盖缺失", "category": category.pk},
    )
    assert response.status_code == 400
    assert not Case.objects.exists()
    assert "还没有取得定位,请填写地点" in response.content.decode()
