from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404

from civicgrid.notifications.models import Notification


def inbox(user: Any) -> QuerySet[Notification]:
    """The user's messages, unread first, newest first within each group."""
    return (
        Notification.objects.visible_to(user)
        .annotate(
            unread_first=Case(
                When(read_at__isnull=True, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("unread_first", "-created_at", "-pk")
    )


def unread_count(user: Any) -> int:
    return Notification.objects.visible_to(user).unread().count()


def access_notifications(user: Any, ids: Iterable[int]) -> list[int]:
    """``ids`` if every one is the user's own message; otherwise 404, exactly as for an id
    that does not exist (nobody learns which ids belong to others)."""
    wanted = set(ids)
    found = set(
        Notification.objects.visible_to(user).filter(pk__in=wanted).values_list("pk", flat=True)
    )
    if found != wanted:
        raise Http404
    return sorted(wanted)


def access_notification(user: Any, pk: int) -> Notification:
    try:
        return Notification.objects.visible_to(user).get(pk=pk)
    except (Notification.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
