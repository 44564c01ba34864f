"""The error body every API operation answers with (docs/architecture.md "One way in"), shared by
the apps' routers so the documented shape is declared once."""

from __future__ import annotations

import re
from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    """Every refusal: ``detail`` is a Chinese message, or for input that does not match the
    schema ninja's list of ``{"loc": [...], "msg": "..."}`` naming each field (``msg`` in
    Chinese too: ``in_chinese``)."""

    detail: str | list[dict[str, Any]]


def errors(*codes: int) -> dict[int, Any]:
    """``response={200: Out, **errors(404, 422)}``: the refusals an operation documents."""
    return {code: ErrorOut for code in codes}


# pydantic's message for each kind of schema error, in Chinese: the phone's outbox shows these
# to the grid worker when a queued item is refused. {name} placeholders come from the error's
# context (its limits, the allowed values).
SCHEMA_MESSAGES = {
    "missing": "必填",
    "extra_forbidden": "不接受该字段",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "finite_number": "应为有限的数字",
    "bool_parsing": "应为是或否",
    "bool_type": "应为是或否",
    "string_type": "应为文本",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "json_invalid": "JSON 格式不正确",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "不能大于 {le}",
    "string_too_short": "至少 {min_length} 个字符",
    "string_too_long": "不能超过 {max_length} 个字符",
    "too_short": "至少 {min_length} 项",
    "too_long": "不能超过 {max_length} 项",
    "string_pattern_mismatch": "格式不正确",
    "literal_error": "取值应为 {expected}",
    "enum": "取值应为 {expected}",
    "date_parsing": "日期格式不正确,应为 YYYY-MM-DD",
    "date_from_datetime_parsing": "日期格式不正确,应为 YYYY-MM-DD",
    "date_type": "日期格式不正确,应为 YYYY-MM-DD",
    "datetime_parsing": "时间格式不正确",
    "datetime_from_date_parsing": "时间格式不正确",
    "datetime_type": "时间格式不正确",
    "uuid_parsing": "编号格式不正确",
}
_CHINESE = re.compile(r"[\u4e00-\u9fff]")
# The parts of ``loc`` that say where a field came from, not which field it is.
SCHEMA_SOURCES = {"body", "query", "path", "form", "file", "header", "cookie", "payload", "params"}


def in_chinese(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """ninja's schema errors with each ``msg`` in Chinese and naming its field ("lat:不能大于
    90"); the list keeps its shape (``type``, ``loc``, ``ctx``), so clients that read ``loc``
    still find the field. Errors the project's own checks raise (already in Chinese, whatever
    their ``type``) pass unchanged; a validator's ValueError loses pydantic's "Value error, "
    prefix."""
    out = []
    for error in errors:
        kind = error.get("type")
        message = str(error.get("msg", ""))
        if kind == "value_error":
            message = message.removeprefix("Value error, ")
        elif _CHINESE.search(message):  # the project's own validators' messages
            out.append(error)
            continue
        elif kind in SCHEMA_MESSAGES:
            context = dict(error.get("ctx") or {})
            if isinstance(context.get("expected"), str):
                # pydantic lists the choices as "'a', 'b' or 'c'".
                context["expected"] = context["expected"].replace(" or ", "、").replace(", ", "、")
            try:
                message = SCHEMA_MESSAGES[kind].format(**context)
            except (KeyError, IndexError):
                message = SCHEMA_MESSAGES[kind].split("{")[0].rstrip() or "输入不正确"
        elif kind is not None:
            message = "输入不正确"
        else:
            out.append(error)
            continue
        field = [str(p) for p in error.get("loc", ()) if str(p) not in SCHEMA_SOURCES]
        out.append({**error, "msg": f"{'.'.join(field)}:{message}" if field else message})
    return out
