"""Keys for the integrations tests: a hotline key of street a, an Open311 key of street a."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from civicgrid.integrations.keys import HOTLINE_ORDERS, OPEN311_POST, api_key_create
from civicgrid.integrations.models import ApiKey
from civicgrid.testing.cases import ensure_case_seeds

LIST_CASES = "civicgrid_cases_api_list_cases"
CASE_DETAIL = "civicgrid_cases_api_case_detail"


@dataclass
class Key:
    row: ApiKey
    raw: str

    @property
    def headers(self) -> dict[str, Any]:
        return {"HTTP_X_API_KEY": self.raw}


def make_key(by: Any, code: str, operations: list[str], **kwargs: Any) -> Key:
    ensure_case_seeds()
    row, raw = api_key_create(
        by=by,
        name=kwargs.pop("name", "测试密钥"),
        owner_system=kwargs.pop("owner_system", "市12345热线平台"),
        scopes=[code],
        operations=operations,
        **kwargs,
    )
    return Key(row, raw)


@pytest.fixture
def secadmin(users: Any) -> Any:
    from civicgrid.accounts.choices import Role
    from civicgrid.testing.users import make_user

    return make_user("secadmin", Role.SECADMIN)


@pytest.fixture
def hotline_key(city: Any, secadmin: Any) -> Key:
    return make_key(
        secadmin,
        city.street_a.code,
        [HOTLINE_ORDERS, LIST_CASES, CASE_DETAIL],
        webhook_url="https://hotline.example.cn/callback",
    )


@pytest.fixture
def open311_key(city: Any, secadmin: Any) -> Key:
    return make_key(secadmin, city.street_a.code, [OPEN311_POST], owner_system="随手拍应用")
