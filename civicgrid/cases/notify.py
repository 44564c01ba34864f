"""Who hears about a case step, queued for after the commit (the outbox does the sending)."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from datetime import datetime
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import User
from civicgrid.cases.choices import Action, CaseStatus
from civicgrid.cases.models import Case, CaseEvent
from civicgrid.cases.presenters import reporter_notice, staff_notice
from civicgrid.geo.codes import ancestor_codes

S = CaseStatus

# Who works a case in each status: the people told when it arrives there.
HANDLER_ROLES: dict[str, tuple[str, ...]] = {
    S.REPORTED: (Role.SECRETARY, Role.CADRE),
    S.ACCEPTED: (Role.SECRETARY, Role.CADRE),
    S.COMMUNITY: (Role.SECRETARY, Role.CADRE),
    S.COUNCIL: (Role.SECRETARY,),
    S.TO_DISPATCH: (Role.COMMAND,),
    S.EXTENSION_PENDING: (Role.COMMAND,),
    S.TO_VERIFY: (Role.GRID_WORKER,),
}


def case_url(case: Case) -> str:
    try:
        return reverse("cases:detail", args=[case.pk])
    except NoReverseMatch:
        return ""


def staff_over(code: str, roles: Iterable[str]) -> list[User]:
    """Active users of ``roles`` whose scope covers ``code`` (the code or one of its
    ancestors), in one query."""
    prefixes = [*ancestor_codes(code), code] if code else []
    return list(
        User.objects.filter(
            is_active=True,
            role__in=list(roles),
            scopes__code__in=prefixes,
            scopes__retired_on__isnull=True,
        ).distinct()
    )


def handlers(case: Case) -> list[User]:
    if case.status in (S.DISPATCHED, S.HANDLING):
        if case.department_id is None:
            return []
        if case.assignee_id is not None and case.status == S.HANDLING:
            return list(User.objects.filter(pk=case.assignee_id, is_active=True))
        return list(
            User.objects.filter(
                is_active=True, role=Role.DEPARTMENT, department_id=case.department_id
            )
        )
    roles = HANDLER_ROLES.get(case.status, ())
    if not roles:
        return []
    if case.outside_grid:
        # Nobody below the command centre covers a case outside every grid.
        roles = (Role.COMMAND,)
    if case.assignee_id is not None and case.status in (S.COMMUNITY, S.COUNCIL, S.TO_VERIFY):
        return list(User.objects.filter(pk=case.assignee_id, is_active=True))
    return staff_over(case.grid_code, roles)


def next_level(case: Case) -> list[User]:
    """Who an overdue case is escalated to: the street command centre for a case at
    community level, the command centre above the street (or, without one, the street's)
    for a case with the street or a department."""
    commands = staff_over(case.grid_code, (Role.COMMAND,))
    at_community = case.status in (S.REPORTED, S.ACCEPTED, S.COMMUNITY, S.COUNCIL, S.TO_VERIFY)
    if at_community or case.outside_grid:
        return commands
    higher = [u for u in commands if all(len(c) < 9 for c in u.scope_codes)]
    return higher or commands


def send_case_notifications(case: Case, event: CaseEvent) -> None:
    """Runs after the commit with a snapshot of the case as this step left it. Each event
    is sent once, so no dedupe key (and no lookup) is needed."""
    from civicgrid.notifications.services import notify

    url = case_url(case)
    key = ""
    recipients = [u for u in handlers(case) if u.pk != event.actor_id]
    if event.action in Action.values and recipients:
        # What each audience reads is the presenter's (docs/architecture.md rule 7).
        notice = staff_notice(case, event)
        notify(
            recipients=recipients,
            kind="case",
            title=notice["title"],
            body=notice["body"],
            url=url,
            target=case,
            dedupe_key=key,
            at=event.at,
        )
    told = reporter_notice(case, event)
    if told:
        tell_reporters(case, title=told["title"], url=url, key=key, at=event.at)


def track_hint(number: str) -> str:
    """How someone without an account (a caller of 12345) follows their case."""
    try:
        page = settings.NOTIFY_SITE_URL.rstrip("/") + reverse("cases:track")
    except NoReverseMatch:
        page = ""
    return str(
        _("可凭编号 %(number)s 和登记的联系电话在 %(page)s 查询办理进度。")
        % {"number": number, "page": page}
    )


def tell_reporters(
    case: Case, *, title: str, url: str, key: str, at: datetime | None = None
) -> None:
    """Tell the reporter of ``case`` and of every duplicate merged into it; their inbox
    dates the message ``at`` the step it reports."""
    from civicgrid.notifications.services import notify, notify_contact

    reports = [case, *case.duplicates.all()]
    accounts = [c.reporter for c in reports if c.reporter_id is not None and c.reporter]
    if accounts:
        notify(
            recipients=accounts,
            kind="case",
            title=title,
            url=url,
            target=case,
            dedupe_key=key,
            at=at,
        )
    for c in reports:
        if c.reporter_id is None and c.reporter_phone:
            notify_contact(
                phone=c.reporter_phone,
                kind="case",
                title=title,
                # A merged duplicate's caller left their phone with the duplicate: its number
                # and their digits lead to the case it was merged into.
                body=track_hint(c.number),
                target=case,
                dedupe_key=key,
            )


def queue_case_notifications(*, case: Case, event: CaseEvent) -> None:
    # A copy, because later steps in the same transaction change the case object.
    transaction.on_commit(partial(send_case_notifications, copy.copy(case), event))


def queue_escalation(*, case: Case, recipients: list[Any], dedupe_key: str, title: str) -> None:
    def send() -> None:
        from civicgrid.notifications.services import notify

        notify(
            recipients=recipients,
            kind="case_overdue",
            title=title,
            url=case_url(case),
            target=case,
            dedupe_key=dedupe_key,
        )

    if recipients:
        transaction.on_commit(send)
