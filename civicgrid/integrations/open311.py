"""The Open311 GeoReport v2 server at /open311/v2/ (docs/integrations.md "Open311").

Every resource answers in XML (required by the spec) and JSON, chosen by the suffix. Reading is
public, as the spec wants, so it shows only what our public tracking page shows
(``cases.presenters.present_tracking``): number, category, status, the public steps and the
community; never the description, the place, photos, the reporter or staff names. And it shows
only requests that came in through Open311 itself: cases reported by grid workers, residents or
the hotline are not published here. Creating a request needs an API key given the
``open311_post_request`` operation; the case is filed through ``cases.services.case_report``
with channel ``open311`` by the key's service identity, inside the key's jurisdiction.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja.errors import HttpError

from civicgrid.cases.choices import DONE_STATUSES, Channel
from civicgrid.cases.models import Case, CaseEvent, Category
from civicgrid.cases.presenters import present_tracking
from civicgrid.cases.services import case_report
from civicgrid.core import throttle
from civicgrid.core.client_ip import client_ip
from civicgrid.core.policy import LIST, policy
from civicgrid.integrations.keys import OPEN311_POST, find_key, use_key

SPEC_URL = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-11-27T00:00:00+08:00"
MAX_REQUESTS = 1000
DEFAULT_SPAN = timedelta(days=90)
# Reads per client address and minute (the spec's GETs need no key).
READS_PER_MINUTE = 120
MAX_DESCRIPTION = 2000
URGENT_ATTRIBUTE = "urgent"

PUBLIC = policy(public=True)
PUBLIC_LIST = policy(public=True, scope=LIST)


class Open311Error(Exception):
    def __init__(self, status: int, *descriptions: str) -> None:
        super().__init__(descriptions[0] if descriptions else "")
        self.status = status
        self.descriptions = descriptions or (_("请求无效"),)


# --- rendering ----------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return w3(value)
    return str(value)


def w3(value: datetime) -> str:
    """ISO 8601 with the offset (the spec requires a time zone), in the site's zone."""
    return timezone.localtime(value).isoformat(timespec="seconds")


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return w3(value)
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_value(v) for v in value]
    return value


# Children of these lists, for XML (the Spark convention maps them to JSON arrays).
LIST_ITEMS = {
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


def _fill(parent: ET.Element, data: dict[str, Any]) -> None:
    for name, value in data.items():
        child = ET.SubElement(parent, name)
        if isinstance(value, dict):
            _fill(child, value)
        elif isinstance(value, list):
            item_tag = LIST_ITEMS.get(name, "item")
            for item in value:
                element = ET.SubElement(child, item_tag)
                if isinstance(item, dict):
                    _fill(element, item)
                else:
                    element.text = _text(item)
        else:
            child.text = _text(value)


def to_xml(root: str, item: str | None, data: Any) -> bytes:
    element = ET.Element(root)
    if item is None:
        _fill(element, data)
    else:
        for entry in data:
            _fill(ET.SubElement(element, item), entry)
    body = ET.tostring(element, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode()


def render(fmt: str, root: str, item: str | None, data: Any, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(
            to_xml(root, item, data), status=status, content_type="text/xml; charset=utf-8"
        )
    return HttpResponse(
        json.dumps(_json_value(data), ensure_ascii=False),
        status=status,
        content_type="application/json; charset=utf-8",
    )


def render_error(fmt: str, error: Open311Error) -> HttpResponse:
    entries = [{"code": error.status, "description": d} for d in error.descriptions]
    return render(fmt, "errors", "error", entries, status=error.status)


def open311_view(view: Any) -> Any:
    """Answer every refusal of ``view`` in the spec's error format and rate-limit reads."""

    def wrapper(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
        try:
            ident = client_ip(request) or "unknown"
            if not throttle.hit("open311", ident, limit=READS_PER_MINUTE, window_seconds=60):
                raise Open311Error(429, _("请求过于频繁,请稍后再试"))
            return view(request, *args, fmt=fmt, **kwargs)
        except Open311Error as error:
            return render_error(fmt, error)
        except HttpError as error:
            # The key's own limits (core.policy / integrations.keys): 401 for a bad key is
            # the spec's 403.
            status = 403 if error.status_code == 401 else error.status_code
            return render_error(fmt, Open311Error(status, str(error.message)))

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    wrapper.__wrapped__ = view  # type: ignore[attr-defined]
    return wrapper


# --- what is shown ------------------------------------------------------------------------


def present_service(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.parent.name + " · " + category.name if category.parent else "",
        # Every service takes the "urgent" attribute (the service definition).
        "metadata": True,
        "type": "realtime",
        "keywords": ", ".join(category.keywords.split()),
        "group": category.parent.name if category.parent else "",
    }


def present_definition(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "attributes": [
            {
                "variable": True,
                "code": URGENT_ATTRIBUTE,
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": _("紧急事件(危及安全)请选择“是”"),
                "order": 1,
                "description": _("是否紧急"),
                "values": [{"key": "0", "name": _("否")}, {"key": "1", "name": _("是")}],
            }
        ],
    }


def present_request(case: Case) -> dict[str, Any]:
    """A request as the public sees it, from the public tracking presenter: the fields it does
    not show are empty (null in JSON) rather than filled from the case."""
    events = list(case.events.all())
    public = present_tracking(case, events=events)
    timeline = public["timeline"]
    last = timeline[-1] if timeline else None
    return {
        "service_request_id": public["number"],
        "status": "closed" if public["status"] in DONE_STATUSES else "open",
        "status_notes": (last["action_label"] + ":" + last["to_status_label"])
        if last
        else public["status_label"],
        "service_name": public["category_name"],
        "service_code": case.category.code,
        "description": None,
        "agency_responsible": public["community"] or None,
        "service_notice": None,
        "requested_datetime": public["reported_at"],
        "updated_datetime": last["at"] if last else public["reported_at"],
        "expected_datetime": None,
        "address": None,
        "address_id": None,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }


def _published() -> Any:
    events = Prefetch("events", queryset=CaseEvent.objects.order_by("at", "id"))
    return (
        Case.objects.filter(channel=Channel.OPEN311)
        .select_related("category", "grid__community")
        .prefetch_related(events)
    )


def _minors() -> Any:
    return Category.objects.current().minors().select_related("parent").order_by("code")


def _service(code: str) -> Category:
    found = _minors().filter(code=code).first()
    if found is None:
        raise Open311Error(404, _("未找到服务类型 %(code)s") % {"code": code})
    return found


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _when(request: HttpRequest, name: str) -> datetime | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        found = parse_datetime(raw)
    except ValueError:
        found = None
    if found is None:
        raise Open311Error(
            400, _("%(name)s 须为 W3C 日期时间,如 2026-01-01T00:00:00+08:00") % {"name": name}
        )
    if timezone.is_naive(found):
        found = timezone.make_aware(found)
    return found


# --- views ---------------------------------------------------------------------------------


@PUBLIC
@open311_view
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    url = request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": fmt}))
    base = url.rsplit("/", 1)[0] + "/"
    data = {
        "changeset": CHANGESET,
        "contact": settings.OPEN311_CONTACT or _("请联系街道网格管理中心"),
        "key_service": _("API 密钥由平台安全管理员签发"),
        "endpoints": [
            {
                "specification": SPEC_URL,
                "url": base,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render(fmt, "discovery", None, data)


@PUBLIC
@open311_view
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    return render(fmt, "services", "service", [present_service(c) for c in _minors()])


@PUBLIC
@open311_view
def service_definition(request: HttpRequest, service_code: str, fmt: str) -> HttpResponse:
    return render(fmt, "service_definition", None, present_definition(_service(service_code)))


@PUBLIC_LIST
@csrf_exempt
@open311_view
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    """GET: search requests; POST: create one (needs an API key; form-encoded, no cookie, so
    no CSRF token)."""
    if request.method == "POST":
        return _create(request, fmt)
    if request.method not in ("GET", "HEAD"):
        raise Open311Error(400, _("只支持 GET 和 POST"))
    found = _published()
    ids = _split(request.GET.get("service_request_id", ""))
    if ids:
        # "This overrides all other arguments."
        found = found.filter(number__in=ids[:MAX_REQUESTS])
    else:
        start, end = _when(request, "start_date"), _when(request, "end_date")
        end = end or (start + DEFAULT_SPAN if start else timezone.now())
        start = start or end - DEFAULT_SPAN
        if start > end:
            raise Open311Error(400, _("start_date 不能晚于 end_date"))
        if end - start > DEFAULT_SPAN:
            raise Open311Error(400, _("查询时间跨度不能超过 90 天"))
        found = found.filter(reported_at__gte=start, reported_at__lte=end)
        codes = _split(request.GET.get("service_code", ""))
        if codes:
            found = found.filter(category__code__in=codes)
        statuses = set(_split(request.GET.get("status", "")))
        if statuses - {"open", "closed"}:
            raise Open311Error(400, _("status 只能是 open 或 closed"))
        if statuses == {"open"}:
            found = found.exclude(status__in=DONE_STATUSES)
        elif statuses == {"closed"}:
            found = found.filter(status__in=DONE_STATUSES)
    rows = [present_request(c) for c in found.order_by("-reported_at", "-id")[:MAX_REQUESTS]]
    return render(fmt, "service_requests", "request", rows)


@PUBLIC
@open311_view
def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    case = _published().filter(number=request_id).first()
    if case is None:
        raise Open311Error(404, _("未找到诉求 %(id)s") % {"id": request_id})
    return render(fmt, "service_requests", "request", [present_request(case)])


@PUBLIC
@open311_view
def token(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    """Requests are created in real time, so a token is the request id it stands for."""
    if not _published().filter(number=token).exists():
        raise Open311Error(404, _("未找到令牌 %(token)s") % {"token": token})
    return render(
        fmt, "service_requests", "request", [{"service_request_id": token, "token": token}]
    )


def _float(request: HttpRequest, name: str) -> float | None:
    raw = request.POST.get(name, "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if value != value or value in (float("inf"), float("-inf")):
        raise Open311Error(400, _("%(name)s 须为数字") % {"name": name})
    return value


def _messages(exc: ValidationError) -> Sequence[str]:
    if hasattr(exc, "message_dict"):
        return [m for messages in exc.message_dict.values() for m in messages]
    return list(exc.messages)


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    key = find_key(request.POST.get("api_key", ""))
    if key is None:
        raise Open311Error(403, _("api_key 缺失或无效,无法提交诉求"))
    use_key(key, OPEN311_POST)
    code = request.POST.get("service_code", "").strip()
    if not code:
        raise Open311Error(400, _("缺少 service_code"))
    category = _service(code)
    lat, lng = _float(request, "lat"), _float(request, "long")
    address = request.POST.get("address_string", "").strip()
    if (lat is None or lng is None) and not address:
        if request.POST.get("address_id", "").strip():
            raise Open311Error(400, _("不支持 address_id,请提供 lat/long 或 address_string"))
        raise Open311Error(400, _("请提供 lat 和 long,或 address_string"))
    description = request.POST.get("description", "").strip() or category.name
    if len(description) > MAX_DESCRIPTION:
        # Refused, as the case API refuses it: a cut text would be stored as if complete.
        raise Open311Error(400, _("描述最多 %(n)s 字") % {"n": MAX_DESCRIPTION})
    media = request.POST.get("media_url", "").strip()
    if media.startswith(("http://", "https://")) and len(media) <= 500:
        # Media is not fetched (a server-side request to any URL would be an open door); the
        # link is kept as text for the staff who handle the case.
        description = f"{description}\n" + _("图片链接:%(url)s") % {"url": media}
    name = " ".join(
        p for p in (request.POST.get("last_name", ""), request.POST.get("first_name", "")) if p
    )
    urgent = request.POST.get(f"attribute[{URGENT_ATTRIBUTE}]", "0").strip() == "1"
    try:
        with transaction.atomic():
            case = case_report(
                channel=Channel.OPEN311,
                category=category,
                description=description[:MAX_DESCRIPTION],
                lat=lat,
                lng=lng,
                address=address,
                reporter_name=name.strip(),
                reporter_phone=request.POST.get("phone", ""),
                actor=key.service_user,
                urgent=urgent,
            )
            if not key.service_user.in_scope(case.grid_code, reads="cases"):
                raise ValidationError(_("该地点不在本接口的受理范围内"))
    except ValidationError as exc:
        raise Open311Error(400, *_messages(exc)) from exc
    notice = _("已受理,事件编号 %(number)s,可在本平台“进度查询”中查看办理进度。") % {
        "number": case.number
    }
    return render(
        fmt,
        "service_requests",
        "request",
        [{"service_request_id": case.number, "service_notice": notice, "account_id": None}],
    )


def published_requests(numbers: Iterable[str]) -> list[dict[str, Any]]:
    """The public rows of these request ids (used by tests and the docs' examples)."""
    return [present_request(c) for c in _published().filter(number__in=list(numbers))]
