"""The workbench panel of the case app: counts of the user's "my work" queues."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from civicgrid.cases.selectors import queue_counts, queues_for


def work_counts(request: HttpRequest) -> dict[str, Any] | None:
    user = request.user
    queues = queues_for(user)
    if not queues:
        return None
    counts = queue_counts(user)
    return {
        "template": "cases/_work_widget.html",
        "data": {
            "tabs": [
                {"key": q.key, "label": q.label, "count": counts.get(q.key, 0)} for q in queues
            ]
        },
    }
