from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from civicgrid.core.pagination import paginate
from civicgrid.core.policy import LIST, OBJECT, policy
from civicgrid.notifications import selectors, services


# Everyone signed in has an inbox; each sees only messages addressed to them.
@policy(scope=LIST)
def inbox(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.inbox(request.user), per_page=20)
    return render(request, "notifications/notification_list.html", {"page": page})


@policy(scope=OBJECT)
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a message's link; opening it marks it read."""
    notification = selectors.access_notification(request.user, pk)
    services.mark_read(user=request.user, ids=[notification.pk])
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}
    ):
        return redirect(notification.url)
    return redirect("notifications:inbox")


@policy(scope=OBJECT)
@require_POST
def mark_one_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = selectors.access_notification(request.user, pk)
    services.mark_read(user=request.user, ids=[notification.pk])
    if not request.htmx:  # type: ignore[attr-defined]
        return redirect("notifications:inbox")
    notification.refresh_from_db(fields=["read_at"])
    return render(
        request,
        "notifications/_notification_row.html",
        {"n": notification, "oob_badge": True},
    )


@policy(scope=LIST)
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    services.mark_read(user=request.user)
    if not request.htmx:  # type: ignore[attr-defined]
        return redirect("notifications:inbox")
    page = paginate(request, selectors.inbox(request.user), per_page=20)
    return render(
        request, "notifications/_notification_items.html", {"page": page, "oob_badge": True}
    )
