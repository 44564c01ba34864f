"""Intake reads categories and responsibility rules from per-process prepared lookups; a
change saved in the admin is seen at once (docs/architecture.md "Cases: intake")."""

from typing import Any

import pytest
from django.core.cache import cache

from civicgrid.cases import services
from civicgrid.cases.deadlines import rule_for
from civicgrid.cases.models import Category, ResponsibilityRule
from civicgrid.testing.users import RoleUsers


@pytest.mark.parametrize("urgent", [False, True])
def test_prepared_rules_choose_as_rule_for(users: RoleUsers, urgent: bool) -> None:
    codes = ["", "5201", "520102001", "520102001001001", "520102002001001", "9999"]
    codes += sorted({r.region_prefix for r in ResponsibilityRule.objects.all()})
    for category in Category.objects.filter(parent__isnull=False).select_related("parent"):
        for code in codes:
            assert services.rule_in_force(category, code, urgent=urgent) == rule_for(
                category, code, urgent=urgent
            ), (category.code, code)


def test_lookups_cost_no_query_once_loaded(
    users: RoleUsers, django_assert_num_queries: Any
) -> None:
    services.category_by_code("0102")
    code = users.worker.scope_codes[0]
    with django_assert_num_queries(0):
        category = services.category_by_code("0102")
        assert category is not None and category.parent is not None
        assert services.rule_in_force(category, code) is not None


def test_an_admin_change_is_seen_at_once(users: RoleUsers) -> None:
    category = services.category_by_code("0102")
    assert category is not None and category.retired_on is None
    stored = Category.objects.get(code="0102")
    stored.name = "新名称"
    stored.save()
    fresh = services.category_by_code("0102")
    assert fresh is not None and fresh.name == "新名称"


def test_another_process_change_is_seen_through_the_stamp(users: RoleUsers) -> None:
    before = services.intake_lookups()
    # Another process saved a rule: it replaced the stamp in the shared cache.
    cache.set(services.LOOKUP_STAMP_KEY, "changed-elsewhere", None)
    assert services.intake_lookups() is not before


def test_lookups_reload_after_their_lifetime(users: RoleUsers, settings: Any) -> None:
    settings.INTAKE_LOOKUP_SECONDS = 0
    before = services.intake_lookups()
    assert services.intake_lookups() is not before
