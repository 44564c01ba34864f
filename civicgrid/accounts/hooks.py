"""What accounts needs to know about division and grid codes, supplied by the app that owns
them (docs/architecture.md "Layout": ``geo`` depends on ``accounts``, never the reverse).

``geo`` registers, in its ``AppConfig.ready``, a function that returns which of the given codes
name an existing region or a current grid. The security administrator's scope edits and the
break-glass command check codes through ``existing_codes``. Without a registration (``geo`` not
installed) there is nothing to check against and codes are checked for shape only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

CodeLookup = Callable[[list[str]], Iterable[str]]

_lookups: dict[str, CodeLookup] = {}


def register_code_lookup(name: str, func: CodeLookup) -> None:
    _lookups[name] = func


def code_lookup_registered() -> bool:
    return bool(_lookups)


def existing_codes(codes: Iterable[str]) -> set[str] | None:
    """The subset of ``codes`` some registered lookup knows, or ``None`` when none is
    registered (codes cannot be checked)."""
    wanted = list(dict.fromkeys(codes))
    if not _lookups:
        return None
    found: set[str] = set()
    for func in _lookups.values():
        found |= set(func(wanted))
    return found
