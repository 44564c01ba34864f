"""A responsibility rule names only a department that dispatch can reach in the rule's region."""

import pytest
from django.core.exceptions import ValidationError

from civicgrid.accounts.models import Department
from civicgrid.cases.choices import HandlingLevel
from civicgrid.cases.models import ResponsibilityRule
from civicgrid.testing.cases import case_category
from civicgrid.testing.users import RoleUsers


def rule(department: Department, region: str) -> ResponsibilityRule:
    return ResponsibilityRule(
        category=case_category("0102"),
        region_prefix=region,
        level=HandlingLevel.DEPARTMENT,
        department=department,
        accept_limit=1,
        dispatch_limit=1,
        handle_limit=1,
        verify_limit=1,
    )


def test_a_department_of_another_district_is_refused(users: RoleUsers) -> None:
    elsewhere = Department.objects.create(code="yy", name="云岩区城管局", region_code="520103")
    with pytest.raises(ValidationError, match="不负责该规则的全部适用区域"):
        rule(elsewhere, "520102").full_clean()
    with pytest.raises(ValidationError, match="不负责该规则的全部适用区域"):
        rule(elsewhere, "").full_clean()


def test_the_districts_own_department_is_accepted(users: RoleUsers) -> None:
    rule(users.dept, "520102001").full_clean()
