from civicgrid.cases.checks import categories_without_rule
from civicgrid.cases.models import Category, ResponsibilityRule


def test_seeded_categories_all_have_a_rule(db: object) -> None:
    assert categories_without_rule() == []


def test_category_without_a_rule_is_reported(db: object) -> None:
    major = Category.objects.create(code="30", name="新增大类")
    Category.objects.create(code="3001", name="新增小类", parent=major)
    [warning] = categories_without_rule()
    assert warning.id == "cases.W001"
    assert "3001 新增小类" in warning.msg


def test_a_rule_on_the_major_category_covers_its_minors(db: object) -> None:
    major = Category.objects.create(code="30", name="新增大类")
    Category.objects.create(code="3001", name="新增小类", parent=major)
    ResponsibilityRule.objects.create(
        category=major, level="community",
        accept_limit=1, dispatch_limit=1, handle_limit=1, verify_limit=1,
    )  # fmt: skip
    assert categories_without_rule() == []
