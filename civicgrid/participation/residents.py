"""The community a resident takes part in: the one place it is read and written
(docs/architecture.md "Community portal"). Councils (proposals, supports) and volunteers read
it from here; the community secretary confirms or rejects it.

- Reading never writes (``resident_community``): a resident without a claim is taken to live
  where their latest request was, but nothing is recorded by looking.
- A claim is recorded when the resident chooses their community, or when they first act on
  it (a proposal, a support: ``claim_for_action``, inside that POST). It counts at once, so a
  resident is not kept waiting to take part; the secretary confirms or rejects it afterwards,
  audited. A rejected claim no longer counts and the resident may claim again, another community
  only (the rejected one would count again at once).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from civicgrid.accounts.choices import Role
from civicgrid.cases.models import Case
from civicgrid.core.audit import audit_record
from civicgrid.core.scoping import access_object
from civicgrid.geo.models import Region
from civicgrid.notifications.services import notify
from civicgrid.participation.choices import RESIDENT_CONFIRMERS, ClaimStatus
from civicgrid.participation.models import ResidentCommunity

COUNTING = (ClaimStatus.PENDING, ClaimStatus.CONFIRMED)
COMMUNITY_CODE_LENGTH = 12

# What a resident did as a member of a community and that stops counting when the secretary
# finds they do not live there (councils: their supports). Parts register a handler
# ``(user, community_code)`` in their AppConfig.ready; it runs in the rejection's transaction.
_rejection_handlers: list[Callable[[Any, str], object]] = []


def on_claim_rejected(handler: Callable[[Any, str], object]) -> None:
    if handler not in _rejection_handlers:
        _rejection_handlers.append(handler)


# --- reads -----------------------------------------------------------------------------------


def claim_of(user: Any) -> ResidentCommunity | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return ResidentCommunity.objects.filter(user=user).first()


def suggested_community(user: Any) -> str | None:
    """The community of the resident's latest request with a grid, if any (read only)."""
    latest = (
        Case.objects.filter(reporter=user, grid__isnull=False)
        .order_by("-reported_at", "-id")
        .values_list("grid_code", flat=True)
        .first()
    )
    if latest and len(latest) >= COMMUNITY_CODE_LENGTH:
        return latest[:COMMUNITY_CODE_LENGTH]
    return None


def resident_community(user: Any) -> str | None:
    """The community a resident takes part in: their claim while it counts (pending or
    confirmed); none after a rejection; without a claim, the community of their latest
    request. Never writes (it is called on GET)."""
    claim = claim_of(user)
    if claim is not None:
        return claim.community_code if claim.status in COUNTING else None
    return suggested_community(user)


def claims_visible(user: Any, status: str = "") -> QuerySet[ResidentCommunity]:
    """The claims in the viewer's jurisdiction (``visible_to``), for the confirmers only."""
    if not (user.is_superuser or user.role in RESIDENT_CONFIRMERS):
        return ResidentCommunity.objects.none()
    rows = ResidentCommunity.objects.visible_to(user).select_related("user", "decided_by")
    if status in ClaimStatus.values:
        rows = rows.filter(status=status)
    return rows.order_by("-since", "-id")


def access_claim(user: Any, pk: Any, *, for_write: bool = False) -> ResidentCommunity:
    """One claim for a confirmer: 404 when outside their jurisdiction or missing."""
    return access_object(claims_visible(user), user, pk, for_write=for_write)


# --- writes ----------------------------------------------------------------------------------


def _resident(actor: Any) -> None:
    if getattr(actor, "role", None) != Role.RESIDENT:
        raise PermissionDenied(_("只有居民可以登记所属社区"))


@transaction.atomic
def community_choose(*, actor: Any, code: str) -> str:
    """The resident names the community they live in (pending until the secretary decides)."""
    _resident(actor)
    claim = ResidentCommunity.objects.select_for_update().filter(user=actor).first()
    if claim is not None and claim.status in COUNTING:
        raise ValidationError(_("您已登记所属社区,如需变更请联系社区工作人员"))
    region = Region.objects.filter(
        code=code or "", level="community", retired_on__isnull=True
    ).first()
    if region is None:
        raise ValidationError({"community": _("请选择所在社区")})
    if claim is not None and claim.status == ClaimStatus.REJECTED and claim.community_code == code:
        # Choosing again is for naming the right community: the one the secretary rejected
        # would count again at once (a pending claim counts) and undo the decision.
        raise ValidationError(
            {"community": _("社区已驳回您在该社区的登记。如确为本社区居民,请联系社区工作人员。")}
        )
    ResidentCommunity.objects.update_or_create(
        user=actor,
        defaults={
            "community_code": region.code,
            "status": ClaimStatus.PENDING,
            "source": "chosen",
            "since": timezone.now(),
            "decided_at": None,
            "decided_by": None,
            "reason": "",
        },
    )
    return region.code


def claim_for_action(user: Any) -> str | None:
    """The resident's community for something they do now (a proposal, a support): the
    counting claim, else the community of their latest request, recorded now as a pending
    claim so the secretary sees it. Call only inside a write."""
    claim = claim_of(user)
    if claim is not None:
        return claim.community_code if claim.status in COUNTING else None
    code = suggested_community(user)
    if code is None:
        return None
    ResidentCommunity.objects.get_or_create(
        user=user,
        defaults={"community_code": code, "source": "request", "since": timezone.now()},
    )
    return code


@transaction.atomic
def claim_decide(
    *, actor: Any, claim: ResidentCommunity, confirm: bool, reason: str = "", request: Any = None
) -> ResidentCommunity:
    """The secretary confirms or rejects a resident's claim to live in their community;
    audited, and the resident is told."""
    if not (actor.is_superuser or actor.role in RESIDENT_CONFIRMERS):
        raise PermissionDenied(_("只有社区书记可以确认居民所属社区"))
    if not actor.in_scope(claim.community_code, reads="ledgers"):
        raise PermissionDenied(_("该社区不在您的管辖范围内"))
    claim = ResidentCommunity.objects.select_for_update().get(pk=claim.pk)
    reason = (reason or "").strip()
    status = ClaimStatus.CONFIRMED if confirm else ClaimStatus.REJECTED
    if not confirm and not reason:
        raise ValidationError({"reason": _("驳回时请填写理由")})
    if claim.status == status:
        raise ValidationError(
            _("该居民的所属社区已是“%(status)s”") % {"status": claim.get_status_display()}
        )
    claim.status = status
    claim.decided_at = timezone.now()
    claim.decided_by = actor
    claim.reason = reason[:200] if not confirm else ""
    claim.save(update_fields=["status", "decided_at", "decided_by", "reason"])
    if not confirm:
        for handler in _rejection_handlers:
            handler(claim.user, claim.community_code)
    audit_record(
        actor=actor,
        action="resident_community_confirm" if confirm else "resident_community_reject",
        target=claim,
        field="status",
        reason=claim.reason or claim.community_code,
        request=request,
    )
    title = (
        _("社区已确认您为本社区居民")
        if confirm
        else _("社区未能确认您登记的所属社区:%(reason)s") % {"reason": claim.reason}
    )
    resident = claim.user
    url = reverse("councils:proposals")
    transaction.on_commit(
        lambda: notify(recipients=[resident], kind="council", title=title, url=url)
    )
    return claim
