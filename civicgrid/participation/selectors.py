"""Reads of the community portal. Public reads (the portal, disclosure) take no user and return
only public data: division names, grid outlines, published cards and notices. Staff reads go
through ``visible_to`` / ``access_*`` like every other app (docs/architecture.md "One way in")."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import Http404

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import Scope
from civicgrid.core.scoping import access_object, prefix_q
from civicgrid.geo.codes import ancestor_codes
from civicgrid.geo.models import Grid, Region
from civicgrid.participation.choices import NOTICE_STAFF, NoticeStatus
from civicgrid.participation.models import Disclosure, GridWorkerCard, Notice

COMMUNITY_LENGTH = 12
STREET_LENGTH = 9


def communities_tree() -> list[dict[str, Any]]:
    """District → street → community, current divisions only; two queries."""
    rows = list(
        Region.objects.filter(
            level__in=("district", "street", "community"), retired_on__isnull=True
        ).order_by("code")
    )
    by_parent: dict[int | None, list[Region]] = defaultdict(list)
    for r in rows:
        by_parent[r.parent_id].append(r)

    def node(r: Region) -> dict[str, Any]:
        return {
            "code": r.code,
            "name": r.short_name or r.name,
            "level": r.level,
            "children": [node(c) for c in by_parent.get(r.pk, [])],
        }

    return [node(r) for r in rows if r.level == "district"]


def public_region(code: str, *, levels: tuple[str, ...] = ("community",)) -> Region:
    """A current division by code, for the public pages; 404 otherwise."""
    region = Region.objects.filter(code=code, level__in=levels, retired_on__isnull=True).first()
    if region is None:
        raise Http404
    return region


def community_grids(community: Region) -> list[Grid]:
    return list(Grid.objects.current().filter(community=community).order_by("code"))


def workers_by_grid(grid_codes: list[str]) -> dict[str, list[GridWorkerCard]]:
    """The published cards of the active grid workers assigned to each grid (a worker on two
    grids appears on both). Workers without a published card are not shown at all."""
    scopes = Scope.objects.filter(
        code__in=grid_codes,
        retired_on__isnull=True,
        user__role=Role.GRID_WORKER,
        user__is_active=True,
        user__public_card__published=True,
    ).values_list("code", "user_id")
    cards = {
        c.user_id: c
        for c in GridWorkerCard.objects.filter(
            user_id__in={user_id for _code, user_id in scopes}
        ).select_related("user")
    }
    found: dict[str, list[GridWorkerCard]] = defaultdict(list)
    for code, user_id in scopes.order_by("code", "user_id"):
        found[code].append(cards[user_id])
    return found


def notices_for(code: str, today: date) -> QuerySet[Notice]:
    """Published, current notices meant for ``code`` (a community or a grid): those targeted
    at it, at a division above it, or at a grid inside it."""
    above = [*ancestor_codes(code), code]
    return (
        Notice.objects.current(today)
        .filter(Q(targets__code__in=above) | Q(targets__code__startswith=code))
        .distinct()
        .order_by("-pinned", "-starts_on", "-id")
    )


def public_notice(pk: Any, today: date) -> Notice:
    """A notice anybody may read: published and current; everything else is 404."""
    try:
        return Notice.objects.current(today).prefetch_related("targets", "attachments").get(pk=pk)
    except (Notice.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def public_card(pk: Any) -> GridWorkerCard:
    try:
        return GridWorkerCard.objects.get(pk=pk, published=True, user__is_active=True)
    except (GridWorkerCard.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def disclosure_months(code: str) -> list[date]:
    return list(
        Disclosure.objects.filter(region_code=code)
        .order_by("-month")
        .values_list("month", flat=True)
    )


def disclosure_for(code: str, month: date | None) -> Disclosure | None:
    rows = Disclosure.objects.filter(region_code=code)
    if month is not None:
        rows = rows.filter(month=month)
    return rows.order_by("-month").first()


# --- staff -----------------------------------------------------------------------------------


def notices_visible(user: Any) -> QuerySet[Notice]:
    if not (user.is_superuser or user.role in NOTICE_STAFF):
        return Notice.objects.none()
    return Notice.objects.visible_to(user)


def staff_notices(user: Any, status: str = "") -> QuerySet[Notice]:
    rows = (
        notices_visible(user)
        .select_related("created_by", "reviewed_by")
        .prefetch_related("targets", "attachments")
    )
    if status in NoticeStatus.values:
        rows = rows.filter(status=status)
    return rows.order_by("-id")


def access_notice(user: Any, pk: Any, *, for_write: bool = False) -> Notice:
    """A notice of the user's jurisdiction: 404 when outside it or missing."""
    if not (user.is_superuser or user.role in NOTICE_STAFF):
        raise Http404
    return access_object(Notice.objects.all(), user, pk, for_write=for_write)


def workers_in_jurisdiction(user: Any) -> QuerySet[Any]:
    """Grid workers whose grid lies in the user's jurisdiction; a grid worker: themselves."""
    users = (
        get_user_model()
        .objects.filter(role=Role.GRID_WORKER, is_active=True)
        .order_by("username", "pk")
    )
    if user.role == Role.GRID_WORKER and not user.is_superuser:
        return users.filter(pk=user.pk)
    if not (user.is_superuser or user.role in (Role.SECRETARY, Role.COMMAND, Role.SYSADMIN)):
        return users.none()
    if not user.sees_everything:
        grid_scopes = Scope.objects.filter(retired_on__isnull=True).filter(
            prefix_q("code", user.scope_codes)
        )
        users = users.filter(pk__in=grid_scopes.values("user_id"))
    return users


def access_worker_card(user: Any, pk: Any) -> Any:
    """The grid worker whose card ``user`` may edit; 404 otherwise."""
    try:
        return workers_in_jurisdiction(user).get(pk=pk)
    except (ValueError, TypeError, get_user_model().DoesNotExist) as exc:
        raise Http404 from exc


def worker_grid_codes(users: list[Any]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    for user_id, code in (
        Scope.objects.filter(user__in=users, retired_on__isnull=True)
        .order_by("code")
        .values_list("user_id", "code")
    ):
        found[user_id].append(code)
    return found
