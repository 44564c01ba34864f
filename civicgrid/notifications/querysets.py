from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.db import models

if TYPE_CHECKING:
    from civicgrid.notifications.models import Notification  # noqa: F401


class NotificationQuerySet(models.QuerySet["Notification"]):
    def visible_to(self, user: Any) -> Self:
        """A person's own messages only: notifications are addressed, not scoped by area, so
        not even a superuser reads someone else's inbox."""
        if user is None or not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self) -> Self:
        return self.filter(read_at__isnull=True)
