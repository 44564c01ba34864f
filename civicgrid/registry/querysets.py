from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self, TypeVar

from django.db import models
from django.db.models import Q

from civicgrid.core.scoping import ScopedQuerySet, prefix_q

if TYPE_CHECKING:
    from civicgrid.accounts.models import User

M = TypeVar("M", bound=models.Model)

SPECIAL_GROUPS_PERM = "registry.view_special_groups"
UNMASK_PERM = "registry.unmask_pii"


def sees_special_groups(user: User | Any) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(SPECIAL_GROUPS_PERM))


def _reads(user: User | Any, model: type[models.Model]) -> bool:
    """Whether ``user`` reads the kind of data ``model`` holds (its ``scope_reads``, looked up
    in ``accounts.choices.READS``): the same question ``ScopedQuerySet.visible_to`` asks, for the
    querysets below that filter on other columns than ``scope_field``."""
    if user is None or not user.is_authenticated:
        return False
    kind = getattr(model, "scope_reads", None)
    return kind is None or bool(user.reads(kind))


class RegistryQuerySet(ScopedQuerySet[M]):
    """Every registry model declares ``scope_reads = "ledgers"``: a role outside
    ``LEDGER_READERS`` (the auditor, departments, residents) sees none of it, whatever codes it
    carries (docs/architecture.md "One way in")."""


class LedgerQuerySet(RegistryQuerySet[M]):
    """Ledger rows are retired (never deleted); ``current`` hides the retired ones."""

    def current(self) -> Self:
        return self.filter(retired_on__isnull=True)


class BuildingQuerySet(LedgerQuerySet[Any]):
    pass


class DwellingQuerySet(LedgerQuerySet[Any]):
    pass


class HouseholdQuerySet(LedgerQuerySet[Any]):
    pass


class OrganizationQuerySet(LedgerQuerySet[Any]):
    pass


class PersonQuerySet(LedgerQuerySet[Any]):
    def living_here(self) -> Self:
        from civicgrid.registry.choices import PersonStatus

        return self.filter(status=PersonStatus.LIVING, retired_on__isnull=True)

    def with_tag_kind(self, user: User | Any, kind_code: str) -> Self:
        """People carrying an active tag of ``kind_code`` that the user is allowed to see."""
        from civicgrid.registry.models import PersonTag

        tags = PersonTag.objects.visible_to(user).active().filter(kind__code=kind_code)
        return self.filter(pk__in=tags.values("person_id"))


class PersonTagQuerySet(RegistryQuerySet[Any]):
    def visible_to(self, user: User | Any) -> Self:
        """Sensitive kinds (special groups, key youth) exist only for holders of
        ``registry.view_special_groups``: without it they are filtered out entirely."""
        rows = super().visible_to(user)
        if not sees_special_groups(user):
            rows = rows.filter(kind__sensitive=False)
        return rows

    def active(self) -> Self:
        return self.filter(ended_on__isnull=True)


class PersonMoveQuerySet(RegistryQuerySet[Any]):
    def visible_to(self, user: User | Any) -> Self:
        """Both ends of a move see it: the old community keeps its history of who left."""
        if not _reads(user, self.model):
            return self.none()
        if user.sees_everything:
            return self.all()
        codes = user.scope_codes
        return self.filter(prefix_q("from_grid_code", codes) | prefix_q("to_grid_code", codes))


class ImportJobQuerySet(RegistryQuerySet[Any]):
    def visible_to(self, user: User | Any) -> Self:
        """The uploader sees their jobs; colleagues see jobs of the areas they cover."""
        if not _reads(user, self.model):
            return self.none()
        if user.sees_everything:
            return self.all()
        return self.filter(Q(created_by=user) | prefix_q("scope_code", user.scope_codes))
