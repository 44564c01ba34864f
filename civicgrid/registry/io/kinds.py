"""Which importer reads which kind of ledger: the one table to extend with a new kind."""

from __future__ import annotations

from pathlib import Path
from typing import IO, TYPE_CHECKING

from civicgrid.registry.choices import ImportKind
from civicgrid.registry.io.buildings import BuildingImporter
from civicgrid.registry.io.dwellings import DwellingHouseholdImporter
from civicgrid.registry.io.engine import LedgerImporter, LedgerReport, ProgressCallback, run_import
from civicgrid.registry.io.organizations import OrganizationImporter
from civicgrid.registry.io.people import PersonImporter

if TYPE_CHECKING:
    from civicgrid.accounts.models import User

IMPORTERS: dict[str, type[LedgerImporter]] = {
    ImportKind.BUILDING: BuildingImporter,
    ImportKind.DWELLING_HOUSEHOLD: DwellingHouseholdImporter,
    ImportKind.PERSON: PersonImporter,
    ImportKind.ORGANIZATION: OrganizationImporter,
}


def import_ledger(
    kind: str,
    source: Path | str | IO[bytes],
    *,
    user: User | None = None,
    scope_code: str = "",
    progress: ProgressCallback | None = None,
) -> LedgerReport:
    """Import one ledger file of ``kind`` (an ``ImportKind`` value)."""
    return run_import(IMPORTERS[kind], source, user=user, scope_code=scope_code, progress=progress)
