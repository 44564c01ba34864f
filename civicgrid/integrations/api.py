"""/api/v1/integrations/: what outside systems call with their API key (docs/integrations.md)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.errors import HttpError

from civicgrid.core.policy import NONE, policy
from civicgrid.core.schemas import errors
from civicgrid.integrations.hotline import Order, hotline_order_receive
from civicgrid.integrations.keys import SERVICE_ROLE
from civicgrid.integrations.models import ApiKey
from civicgrid.integrations.schemas import HotlineOrderIn, HotlineOrderOut

router = Router(tags=["integrations"])

# Only a key's service identity has this role and a key; a person of the same role signed in
# through the browser is refused by the view (a work order must name the system it came from).
SYSTEM_ROLES = frozenset({SERVICE_ROLE})


def _key_of(request: HttpRequest) -> ApiKey:
    key = ApiKey.objects.filter(service_user_id=getattr(request.user, "pk", None)).first()
    if key is None:
        raise HttpError(403, _("此接口仅供外部系统凭 API 密钥调用"))
    return key


@router.post(
    "/hotline/orders",
    auth=policy(roles=SYSTEM_ROLES, scope=NONE).api,
    response={200: HotlineOrderOut, **errors(401, 403, 422, 429)},
    summary="12345 热线工单推送(幂等:同一工单号重复推送返回相同结果)",
)
def hotline_order(request: HttpRequest, payload: HotlineOrderIn) -> Any:
    key = _key_of(request)
    order = Order(**payload.dict())
    return hotline_order_receive(key=key, order=order)
