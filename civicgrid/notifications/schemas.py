from datetime import datetime

from ninja import Schema


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    target_type: str
    target_id: str
    created_at: datetime
    read_at: datetime | None


class NotificationPage(Schema):
    count: int
    page: int
    pages: int
    unread: int
    items: list[NotificationOut]


class UnreadOut(Schema):
    unread: int


class MarkReadIn(Schema):
    ids: list[int] | None = None


class MarkReadOut(Schema):
    marked: int
    unread: int
