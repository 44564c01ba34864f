"""Assessment pages: the ranking of a period, the cases behind a figure, the indicator
catalogue. Each declares its policy (docs/architecture.md "One way in")."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from civicgrid.assessment import params
from civicgrid.assessment.measures import MEASURES
from civicgrid.assessment.models import Indicator, IndicatorWeight, Level, PeriodKind
from civicgrid.assessment.presenters import present_indicator, present_subject
from civicgrid.assessment.selectors import ASSESSMENT_READERS, signed_terms
from civicgrid.assessment.services import (
    access_subject,
    drill_cases,
    is_frozen,
    level_indicators,
    levels_for,
    numerator_case_ids,
    period_end,
    previous_start,
)
from civicgrid.assessment.services import (
    ranking as rank_subjects,
)
from civicgrid.cases.presenters import present_rows
from civicgrid.core.pagination import paginate
from civicgrid.core.policy import LIST, NONE, OBJECT, policy


def _bad(request: HttpRequest, exc: params.BadParam) -> HttpResponse:
    return render(request, "assessment/bad_request.html", {"message": str(exc)}, status=400)


@require_GET
@policy(roles=ASSESSMENT_READERS, scope=LIST)
def ranking(request: HttpRequest) -> HttpResponse:
    """The results of a period at one level, ranked among the subjects the viewer may see."""
    user: Any = request.user
    try:
        p = params.period(request.GET.get("kind"), request.GET.get("period"))
        level = params.level(user, request.GET.get("level"))
    except params.BadParam as exc:
        return _bad(request, exc)
    tabs = [(value, label) for value, label in Level.choices if value in levels_for(user)]
    indicators = level_indicators(level)
    rows = (
        [present_subject(s, indicators) for s in rank_subjects(user, p.kind, p.start, level)]
        if level in levels_for(user)
        else []
    )
    return render(
        request,
        "assessment/ranking.html",
        {
            "period": p,
            "period_value": p.start.strftime("%Y-%m")
            if p.kind == PeriodKind.MONTH
            else p.start.isoformat(),
            "period_end": period_end(p.kind, p.start),
            "previous": previous_start(p.kind, p.start),
            "kinds": PeriodKind.choices,
            "level": level,
            "tabs": tabs,
            "indicators": indicators,
            "rows": rows,
            "frozen": is_frozen(p.kind, p.start),
        },
    )


@require_GET
@policy(roles=ASSESSMENT_READERS, scope=OBJECT)
def drill(request: HttpRequest) -> HttpResponse:
    """The visible cases behind one subject's figure (404 for a subject outside the
    viewer's jurisdiction, like a missing one)."""
    user: Any = request.user
    if not request.GET.get("indicator") or not request.GET.get("subject"):
        messages.info(request, "请在排名表中点击数字查看明细")
        return redirect("assessment:ranking")
    try:
        p = params.period(request.GET.get("kind"), request.GET.get("period"))
        level = params.level(user, request.GET.get("level"))
        indicator = params.indicator(request.GET.get("indicator"))
    except params.BadParam as exc:
        return _bad(request, exc)
    subject_key = (request.GET.get("subject") or "")[:20]
    subject = access_subject(user, p.kind, p.start, level, subject_key)
    cases = drill_cases(user, indicator, p.kind, p.start, level, subject_key)
    page = paginate(request, cases)
    counted = numerator_case_ids(indicator, p.kind, p.start, level, subject_key)
    rows = present_rows(page.object_list)
    for row in rows:
        row["in_numerator"] = row["id"] in counted
    return render(
        request,
        "assessment/drill.html",
        {
            "period": p,
            "period_end": period_end(p.kind, p.start),
            # Back to the ranking this figure was followed from: its period and level.
            "ranking_query": urlencode(
                {
                    "kind": request.GET.get("kind", ""),
                    "period": request.GET.get("period", ""),
                    "level": level,
                }
            ),
            "level_label": Level(level).label,
            "indicator": indicator,
            "subject": present_subject(subject, [indicator]),
            "page": page,
            "rows": rows,
            # Patrol and visit indicators count field records: no case list stands behind them.
            "about_cases": any(
                MEASURES[code].about_cases
                for _sign, code in signed_terms([*indicator.numerator, *indicator.denominator])
                if code in MEASURES
            ),
        },
    )


@require_GET
@policy(roles=ASSESSMENT_READERS, scope=NONE)
def indicators(request: HttpRequest) -> HttpResponse:
    """The indicator catalogue: formulas, what counts, weights per level, grade bands."""
    from civicgrid.assessment.models import GradeBand

    weights: dict[int, list[IndicatorWeight]] = {}
    for w in IndicatorWeight.objects.select_related("indicator"):
        weights.setdefault(w.indicator_id, []).append(w)
    return render(
        request,
        "assessment/indicators.html",
        {
            "indicators": [
                present_indicator(i, weights.get(i.pk, [])) for i in Indicator.objects.all()
            ],
            "bands": GradeBand.objects.order_by("-min_score"),
        },
    )
