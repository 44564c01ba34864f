"""What higher apps add to the case page and to dispatch (docs/architecture.md "Layout":
``cases`` never imports the apps above it).

- ``register_case_panel(CasePanel(order, template, context))``: the case detail view includes
  each panel whose ``context(case, user)`` returns a dict (``None`` leaves it out); the panel's
  template receives it as ``panel``. The context function decides its own audience.
- ``register_dispatch_candidates(func)``: ``func(case)`` returns department accounts the
  command centre may pick as the assignee when it dispatches ``case`` (the team of the case's
  grid). The dispatch form offers only those whose department it may dispatch to, and only one
  of the chosen department is accepted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CasePanel:
    order: int
    template: str
    context: Callable[[Any, Any], dict[str, Any] | None]
    # A stylesheet (static path) the panel needs; the case page links it once.
    css: str = ""


_PANELS: list[CasePanel] = []

DispatchCandidates = Callable[[Any], Iterable[Any]]
_candidates: dict[str, DispatchCandidates] = {}


def register_case_panel(panel: CasePanel) -> None:
    if panel not in _PANELS:
        _PANELS.append(panel)
        _PANELS.sort(key=lambda p: p.order)


def case_panels(case: Any, user: Any) -> list[dict[str, Any]]:
    """[{"template": ..., "panel": {...}}] for every registered panel with something to show."""
    shown = []
    for panel in _PANELS:
        context = panel.context(case, user)
        if context is not None:
            shown.append({"template": panel.template, "panel": context, "css": panel.css})
    return shown


def register_dispatch_candidates(name: str, func: DispatchCandidates) -> None:
    _candidates[name] = func


def dispatch_candidates(case: Any) -> list[Any]:
    """Department accounts proposed as assignee for ``case``, from every registration."""
    found: dict[int, Any] = {}
    for func in _candidates.values():
        for user in func(case):
            found.setdefault(user.pk, user)
    return list(found.values())
