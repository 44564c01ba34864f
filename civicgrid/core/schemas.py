"""The error body every API operation answers with (docs/architecture.md "One way in"), shared by
the apps' routers so the documented shape is declared once."""

from __future__ import annotations

from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    """Every refusal: ``detail`` is a Chinese message, or for input that does not match the
    schema ninja's list of ``{"loc": [...], "msg": "..."}`` naming each field."""

    detail: str | list[dict[str, Any]]


def errors(*codes: int) -> dict[int, Any]:
    """``response={200: Out, **errors(404, 422)}``: the refusals an operation documents."""
    return {code: ErrorOut for code in codes}
