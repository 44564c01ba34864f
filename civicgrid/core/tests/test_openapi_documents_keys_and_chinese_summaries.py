"""The published schema tells an integrator how to call: the key header is a documented way
in beside the session, and each operation is summarised in Chinese, like the rest."""

import re
from typing import Any

from config.api import api

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    schema = api.get_openapi_schema()
    return [(p, m, o) for p, ops in schema["paths"].items() for m, o in ops.items()]


def test_the_key_header_is_a_documented_way_in() -> None:
    schemes = api.get_openapi_schema()["components"]["securitySchemes"]
    assert schemes["ApiKey"] == {**schemes["ApiKey"], "in": "header", "name": "X-API-Key"}
    secured = [o for _p, _m, o in _operations() if o.get("security")]
    assert secured and all({"ApiKey": []} in o["security"] for o in secured)


def test_every_operation_is_summarised_in_chinese() -> None:
    english = [f"{m.upper()} {p}" for p, m, o in _operations() if not CHINESE.search(o["summary"])]
    assert english == []
