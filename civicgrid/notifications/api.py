from typing import Any

from django.http import HttpRequest
from ninja import Router

from civicgrid.core.pagination import paginate
from civicgrid.core.policy import LIST, policy
from civicgrid.notifications import selectors, services
from civicgrid.notifications.schemas import MarkReadIn, MarkReadOut, NotificationPage, UnreadOut

router = Router(tags=["notifications"])

# Every signed-in user has an inbox and sees only what was addressed to them.
_INBOX = policy(scope=LIST).api


@router.get("/", auth=_INBOX, response=NotificationPage, summary="我的消息(未读在前,分页)")
def list_notifications(request: HttpRequest) -> dict[str, Any]:
    page = paginate(request, selectors.inbox(request.user))
    return {
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
        "unread": selectors.unread_count(request.user),
        "items": list(page),
    }


@router.get("/unread-count", auth=_INBOX, response=UnreadOut, summary="未读消息数")
def unread(request: HttpRequest) -> dict[str, int]:
    return {"unread": selectors.unread_count(request.user)}


@router.post("/read", auth=_INBOX, response=MarkReadOut, summary="标记已读(不传 ids 则全部已读)")
def read(request: HttpRequest, data: MarkReadIn) -> dict[str, int]:
    ids = None if data.ids is None else selectors.access_notifications(request.user, data.ids)
    marked = services.mark_read(user=request.user, ids=ids)
    return {"marked": marked, "unread": selectors.unread_count(request.user)}
