"""Reads the case pages need on top of ``selectors``: category suggestions, hand-over
candidates, the open-case map, deadline badges for a page of rows and the public-safe
timeline. No writes here; state changes go through ``workflow.case_transition``."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicgrid.accounts.choices import Role
from civicgrid.accounts.models import User
from civicgrid.cases.choices import Action, CaseStatus
from civicgrid.cases.deadlines import case_deadline_state
from civicgrid.cases.models import Case, CaseEvent, Category
from civicgrid.cases.workflow import TABLE, may_act_on
from civicgrid.core.worktime import DeadlineState


def suggest_categories(text: str, limit: int = 5) -> list[Category]:
    """Current 小类 whose name or keywords occur in ``text``, best first (a name match
    counts more than a keyword; longer matches more than short ones)."""
    text = "".join(text.split())
    if len(text) < 2:
        return []
    scored: list[tuple[int, str, Category]] = []
    for category in Category.objects.current().minors().select_related("parent"):
        score = len(category.name) * 3 if category.name in text else 0
        score += sum(len(word) for word in category.keywords.split() if word and word in text)
        if score:
            scored.append((score, category.code, category))
    scored.sort(key=lambda row: (-row[0], row[1]))
    return [category for _score, _code, category in scored[:limit]]


def strong_suggestion(text: str, suggestions: list[Category]) -> Category | None:
    """The one suggestion the page may pick for the user: the only one whose own name
    occurs in ``text`` (a keyword match alone is too weak to choose for them)."""
    text = "".join(text.split())
    named = [c for c in suggestions if c.name in text]
    return named[0] if len(named) == 1 else None


def may_merge_at_intake(user: Any) -> bool:
    """Whether the user's role may merge a just-reported case into an open one."""
    move = TABLE.get((CaseStatus.REPORTED, Action.MERGE))
    return bool(move and (user.sees_everything or user.role in move.roles))


def reassign_candidates(case: Case, actor: Any) -> list[User]:
    """People the case may be handed over to: the actor's department colleagues while a
    department has it, else staff of the desk roles whose scope covers the case's grid."""
    if case.status in (CaseStatus.DISPATCHED, CaseStatus.HANDLING) and case.department_id:
        users = User.objects.filter(role=Role.DEPARTMENT, department_id=case.department_id)
    else:
        codes = [case.grid_code[:n] for n in (4, 6, 9, 12, 15) if len(case.grid_code) >= n]
        users = User.objects.filter(
            role__in=[Role.GRID_WORKER, Role.CADRE, Role.SECRETARY, Role.COMMAND],
            scopes__code__in=codes,
            scopes__retired_on__isnull=True,
        )
    return [
        u
        for u in users.filter(is_active=True).exclude(pk=actor.pk).distinct().order_by("username")
        if may_act_on(case, u)
    ]


def visible_duplicates(
    user: Any,
    *,
    category: Category,
    lat: float | None,
    lng: float | None,
    exclude: Case | None = None,
) -> list[Case]:
    """The domain's duplicate candidates (same category, open, near, recent) that ``user``
    may see, nearest first."""
    from civicgrid.cases.selectors import duplicate_candidates

    found = duplicate_candidates(category=category, lat=lat, lng=lng, at=timezone.now())
    visible = set(
        Case.objects.visible_to(user)
        .filter(pk__in=[c.pk for c in found])
        .values_list("pk", flat=True)
    )
    return [c for c in found if c.pk in visible and (exclude is None or c.pk != exclude.pk)]


DEADLINE_COLOURS = {"on_time": "#2e7d32", "due_soon": "#e08e0b", "overdue": "#c62828"}
# Open cases without a running clock: deferred (缓办), on hold (挂账) or without a time limit.
PAUSED_COLOUR = "#607d8b"
MAP_LIMIT = 3000


@dataclass(frozen=True)
class LegendEntry:
    colour: str
    label: str


def marker_legend() -> list[LegendEntry]:
    """One entry per colour a marker of ``open_case_features`` can have."""
    return [
        *(LegendEntry(DEADLINE_COLOURS[s.value], str(s.label)) for s in DeadlineState),
        LegendEntry(PAUSED_COLOUR, str(_("已暂停计时或无时限"))),
    ]


def open_case_features(user: Any, filters: dict[str, Any]) -> dict[str, Any]:
    """Open cases with a point, as GeoJSON for the command-centre map, coloured by the
    state of their current deadline. At most ``MAP_LIMIT`` markers, most urgent first."""
    from civicgrid.cases.selectors import case_list

    now = timezone.now()
    cases = (
        case_list(user, now=now, **filters)
        .open()
        .filter(lat__isnull=False, lng__isnull=False)
        .order_by("stage_due_at", "id")
    )[:MAP_LIMIT]
    features = []
    for case in cases:
        state = case_deadline_state(case, now)
        key = state.value if state else ""
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [case.lng, case.lat]},
                "properties": {
                    "id": case.pk,
                    "number": case.number,
                    "category": case.category.name,
                    "status": case.get_status_display(),
                    "deadline": str(state.label) if state else "",
                    "colour": DEADLINE_COLOURS.get(key, PAUSED_COLOUR),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def normalised_number(number: str) -> str:
    return "".join(number.split())


def find_visible_by_number(user: Any, number: str) -> Case | None:
    """A case by its number among those ``user`` may open (a resident: their own)."""
    number = normalised_number(number)
    if not number or not user.is_authenticated:
        return None
    return Case.objects.visible_to(user).filter(number=number).only("pk").first()


def _phone_digits(value: str) -> str:
    digits = "".join(ch for ch in value if ch.isdigit())
    # "+86 138…" and "138…" are the same mobile number.
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return digits


def find_by_number_and_phone(number: str, phone: str) -> Case | None:
    """A case by its number for public tracking, only if ``phone`` is the phone stored with
    it (digits compared in constant time, spaces, dashes and +86 ignored). A wrong number and
    a wrong phone both give ``None``: the caller answers both the same way. A merged duplicate
    leads to the case it was merged into. The caller shows only what ``present_tracking``
    gives."""
    number = normalised_number(number)
    typed = _phone_digits(phone)
    if not number or len(typed) < 7:
        return None
    public = Case.objects.select_related("category", "grid__community")
    case = public.filter(number=number).first()
    if case is None:
        return None
    stored = _phone_digits(case.reporter_phone or "")
    if len(stored) < 7 or not hmac.compare_digest(stored, typed):
        return None
    if case.merged_into_id is not None:
        # The caller of a repeated report follows the case that is being worked on.
        return public.filter(pk=case.merged_into_id).first()
    return case


def public_timeline(case: Case) -> QuerySet[CaseEvent]:
    """The steps of a case, for the public presenter (``presenters.present_tracking``)."""
    return CaseEvent.objects.filter(case=case).order_by("at", "id").prefetch_related("photos")
