"""The one ninja API, mounted at /api/v1/. Each app contributes a Router from its api.py."""

from functools import partial
from typing import Any

from django.core.exceptions import (
    BadRequest,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    ValidationError,
)
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as SchemaInvalid
from ninja.operation import PathView
from ninja.security import SessionAuth

from civicgrid.core.policy import API_KEY_HEADER, ROLE_REFUSED, policy
from civicgrid.core.schemas import in_chinese

# What every operation may answer besides its own responses, all as {"detail": ...}: documented
# once here so the published schema matches what clients get (docs/architecture.md "One way in").
ERROR_RESPONSES = {
    "400": "请求格式错误",
    "401": "未登录",
    "403": "无权操作",
    "404": "不存在或不在您的管辖范围内",
    "409": "状态已变化,请刷新后重试",
    "413": "请求体过大",
    "422": "输入有误",
    "429": "请求过于频繁",
}
API_KEY_SCHEME = "ApiKey"
ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "properties": {
        "detail": {
            "anyOf": [{"type": "string"}, {"type": "array"}, {"type": "object"}],
            "description": "给人看的中文说明;字段校验错误时为逐项列表",
        }
    },
    "required": ["detail"],
}


class CivicAPI(NinjaAPI):
    # Building the schema walks ~150 operations and their models (seconds on a busy machine)
    # and it cannot change while the process runs: build it once per set of arguments.
    _schemas: dict[str, Any] = {}

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        key = repr(sorted(kwargs.items()))
        if key not in self._schemas:
            self._schemas[key] = self._build_openapi_schema(**kwargs)
        return self._schemas[key]

    def _get_urls(self) -> Any:
        # ninja answers a method an address does not take with an English text/html body.
        for bound in self._get_bound_routers():
            for path_view in bound.path_operations.values():
                path_view._not_allowed = partial(_method_not_allowed, path_view)  # type: ignore[method-assign]
        return super()._get_urls()

    def _build_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        # Every policy also admits an outside system's key in place of a session
        # (core.policy.ApiPolicy); ninja only knows the cookie.
        schema["components"].setdefault("securitySchemes", {})[API_KEY_SCHEME] = {
            "type": "apiKey",
            "in": "header",
            "name": API_KEY_HEADER,
            "description": "外部系统的 API 密钥:由安全管理员创建,限定管辖范围、可调用的接口和频率",
        }
        ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                if operation.get("security"):
                    operation["security"] = [*operation["security"], {API_KEY_SCHEME: []}]
                # ninja keys its responses by int; JSON keys are strings, so unify them or
                # the served schema would name 400 twice.
                responses = {str(k): v for k, v in operation.get("responses", {}).items()}
                operation["responses"] = responses
                for code, text in ERROR_RESPONSES.items():
                    responses.setdefault(code, {"description": text, "content": ref})
        return schema


api = CivicAPI(
    title="CivicGrid API",
    version="1",
    description="社区网格化管理平台接口。所有数据按登录用户的管辖范围过滤。",
    auth=SessionAuth(),
    urls_namespace="api",
)


def _mount() -> None:
    from civicgrid.assessment.api import router as assessment_router
    from civicgrid.cases.api import router as cases_router
    from civicgrid.fieldwork.api import router as fieldwork_router
    from civicgrid.geo.api import router as geo_router
    from civicgrid.integrations.api import router as integrations_router
    from civicgrid.notifications.api import router as notifications_router
    from civicgrid.participation.api import router as participation_router
    from civicgrid.participation.councils.api import router as councils_router
    from civicgrid.participation.joint.api import router as joint_router
    from civicgrid.participation.teams.api import router as teams_router
    from civicgrid.participation.volunteers.api import router as volunteers_router
    from civicgrid.registry.api import router as registry_router

    api.add_router("/geo/", geo_router)
    api.add_router("/notifications/", notifications_router)
    api.add_router("/registry/", registry_router)
    api.add_router("/cases/", cases_router)
    api.add_router("/fieldwork/", fieldwork_router)
    api.add_router("/assessment/", assessment_router)
    api.add_router("/participation/", participation_router)
    api.add_router("/participation/councils/", councils_router)
    api.add_router("/participation/volunteers/", volunteers_router)
    api.add_router("/participation/teams/", teams_router)
    api.add_router("/participation/joint-meetings/", joint_router)
    api.add_router("/integrations/", integrations_router)


_mount()


@api.get("/health", auth=policy(public=True).api, tags=["system"], summary="健康检查(无需登录)")
def health(request: HttpRequest) -> dict[str, str]:
    return {"status": "ok"}


# ninja's own refusals are English words; the API answers every caller in Chinese.
NINJA_MESSAGES = {
    "Unauthorized": "未登录,或 API 密钥缺失",
    "Forbidden": ROLE_REFUSED,
    "CSRF check Failed": "CSRF 校验失败:请刷新页面后重试(以登录会话调用时须带 X-CSRFToken 请求头)",
    "Too many requests.": "请求过于频繁,请稍后再试",
}
UNPARSABLE_BODY = "Cannot parse request body"


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = str(exc)
    if message.startswith(UNPARSABLE_BODY):
        # ninja appends the parser's English reason (and only in DEBUG); it helps no caller.
        message = "请求体不是有效的 JSON,无法解析"
    return api.create_response(
        request, {"detail": NINJA_MESSAGES.get(message, message)}, status=exc.status_code
    )


def _method_not_allowed(path_view: PathView) -> HttpResponse:
    allowed = sorted({m for operation in path_view.operations for m in operation.methods})
    response = JsonResponse(
        {"detail": "该接口不支持此请求方法,可用:" + "、".join(allowed)}, status=405
    )
    response["Allow"] = ", ".join(allowed)
    return response


@api.exception_handler(PermissionDenied)
def _permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    # Views and services raise Django's PermissionDenied; the API answers it as JSON like every
    # other refusal instead of falling through to a 500.
    return api.create_response(request, {"detail": str(exc) or ROLE_REFUSED}, status=403)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # Missing and out of scope read the same (rule 1), in the caller's language.
    return api.create_response(
        request, {"detail": "未找到该记录,或该记录不在您的管辖范围内"}, status=404
    )


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": " ".join(exc.messages)}, status=422)


@api.exception_handler(SchemaInvalid)
def _schema_invalid(request: HttpRequest, exc: SchemaInvalid) -> HttpResponse:
    # Input that does not match an operation's schema: ninja's list, each message in Chinese.
    return api.create_response(request, {"detail": in_chinese(exc.errors)}, status=422)


@api.exception_handler(MultiPartParserError)
@api.exception_handler(BadRequest)
@api.exception_handler(SuspiciousOperation)
def _bad_request(request: HttpRequest, exc: Exception) -> HttpResponse:
    # A body the parser cannot read (multipart without a boundary, a broken encoding).
    if isinstance(exc, RequestDataTooBig):
        return api.create_response(request, {"detail": "请求体过大"}, status=413)
    return api.create_response(request, {"detail": "请求格式无法解析,请检查后重试"}, status=400)


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def _out_of_range(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Last line of defence: schemas bound their numbers, but a value the database cannot hold
    # (an id above 2^63) must still be the caller's mistake, not a server error.
    return api.create_response(request, {"detail": "数值超出允许范围"}, status=422)
