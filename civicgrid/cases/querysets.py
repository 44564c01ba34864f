"""Query sets of the case models. They name no model class: ``models`` imports this module to
build its managers, so a model another query needs is looked up through the app registry
(``apps.get_model``), keeping the dependency one way (docs/architecture.md "Cases")."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Self

from django.apps import apps
from django.db import models

from civicgrid.accounts.choices import Role
from civicgrid.cases.choices import OPEN_STATUSES, Stage
from civicgrid.core.scoping import ScopedQuerySet, prefix_q


class CategoryQuerySet(models.QuerySet[Any]):
    def current(self) -> Self:
        return self.filter(retired_on__isnull=True)

    def majors(self) -> Self:
        return self.filter(parent__isnull=True)

    def minors(self) -> Self:
        return self.filter(parent__isnull=False)


class CaseQuerySet(ScopedQuerySet[Any]):
    def visible_to(self, user: Any) -> Self:
        """Staff by grid-code prefix; department handlers the cases dispatched to their
        department, now or before; residents their own submissions."""
        if user is None or not user.is_authenticated or not user.reads("cases"):
            # Roles that do not read cases (auditor, security admin) see none, whatever their
            # codes (accounts.choices.READS).
            return self.none()
        if user.sees_everything:
            return self.all()
        if user.role == Role.DEPARTMENT:
            if user.department_id is None:
                return self.none()
            case_event = apps.get_model("cases", "CaseEvent")
            # Every dispatch writes an event naming the department, so this covers the
            # cases it has now and the ones it once had.
            ever = case_event.objects.filter(to_department_id=user.department_id).values("case_id")
            return self.filter(pk__in=ever)
        if user.role == Role.RESIDENT:
            return self.filter(reporter=user)
        return self.filter(prefix_q("grid_code", user.scope_codes))

    def open(self) -> Self:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, now: datetime) -> Self:
        return self.open().filter(
            stage__in=[Stage.ACCEPT, Stage.DISPATCH, Stage.HANDLE, Stage.VERIFY],
            stage_due_at__lt=now,
        )

    def with_list_relations(self) -> Self:
        return self.select_related("category", "category__parent", "department", "grid")


class CaseEventQuerySet(models.QuerySet[Any]):
    def timeline(self) -> Self:
        return self.select_related("actor", "actor_department", "to_department").order_by(
            "at", "id"
        )
