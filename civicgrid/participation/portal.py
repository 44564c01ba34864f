"""What the parts of participation add to a community's public page.

The portal view (views.community) does not know councils, volunteers or teams: each part
registers a section here from its AppConfig.ready, and the page includes the sections in
order. A section's ``context`` gets the community Region and returns the public data to show
(already through the part's public presenter: nothing from the ledgers, no private phone),
or None to leave the section out."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PortalSection:
    order: int
    template: str
    context: Callable[[Any], dict[str, Any] | None]


_SECTIONS: list[PortalSection] = []


def register_portal_section(section: PortalSection) -> None:
    if section not in _SECTIONS:
        _SECTIONS.append(section)
        _SECTIONS.sort(key=lambda s: s.order)


def portal_sections(community: Any) -> list[dict[str, Any]]:
    """[{"template": ..., **context}] for every registered section that has something to show."""
    shown = []
    for section in _SECTIONS:
        context = section.context(community)
        if context is not None:
            shown.append({"template": section.template, **context})
    return shown
