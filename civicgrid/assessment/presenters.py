"""How assessment figures are shown, one presenter for the pages and the API
(docs/architecture.md "One way in"). Figures carry no personal data: a worker is shown by the
name staff already see on the worker lists, cases by their list row (cases.presenters)."""

from __future__ import annotations

from typing import Any

from civicgrid.assessment.models import Indicator, IndicatorWeight, Level
from civicgrid.assessment.services import SubjectResult

GRADE_CSS = {"A": "grade-a", "B": "grade-b", "C": "grade-c", "D": "grade-d", "E": "grade-e"}


# Measures an indicator may name before the rollup counts them (see measures.py): shown by
# name, never as a code. Every measure the seeded indicators name is counted today.
NOT_COUNTED_YET: dict[str, Any] = {}


def _term_label(term: str) -> str:
    from civicgrid.assessment.measures import MEASURES

    code = term.lstrip("-")
    measure = MEASURES.get(code)
    name = measure.label if measure else str(NOT_COUNTED_YET.get(code, code))
    return f"− {name}" if term.startswith("-") else name


def formula(indicator: Indicator) -> str:
    def side(terms: list[str]) -> str:
        text = ""
        for n, term in enumerate(terms):
            label = _term_label(term)
            text += label if n == 0 else (f" {label}" if term.startswith("-") else f" + {label}")
        return f"({text})" if len(terms) > 1 else text

    return f"{side(list(indicator.numerator))} ÷ {side(list(indicator.denominator))} × 100%"


def present_indicator(indicator: Indicator, weights: list[IndicatorWeight]) -> dict[str, Any]:
    levels = dict(Level.choices)
    return {
        "code": indicator.code,
        "name": indicator.name,
        "formula": formula(indicator),
        "direction": indicator.direction,
        "direction_label": indicator.get_direction_display(),
        "unit": indicator.unit,
        "description": indicator.description,
        "active": indicator.active,
        "levels": [str(levels.get(lv, lv)) for lv in indicator.levels or []],
        "weights": [
            {
                "level": w.level,
                "level_label": str(levels.get(w.level, w.level)),
                "weight": float(w.weight),
            }
            for w in weights
        ],
    }


def present_subject(subject: SubjectResult, indicators: list[Indicator]) -> dict[str, Any]:
    return {
        "key": subject.key,
        "label": subject.label,
        "score": subject.score,
        "grade": subject.grade,
        "grade_css": GRADE_CSS.get(subject.grade, ""),
        "rank": subject.rank,
        "previous_rank": subject.previous_rank,
        "change": subject.change,
        "figures": [
            {
                "indicator": ind.code,
                "name": ind.name,
                **subject.figures.get(
                    ind.code, {"numerator": 0, "denominator": 0, "value": None, "score": None}
                ),
            }
            for ind in indicators
        ],
    }
