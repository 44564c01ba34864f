"""Old home of the ledger import engine, now the ``civicgrid.registry.io`` package (one module
per kind). Kept so that callers written against it keep working; new code imports from
``civicgrid.registry.io.kinds``."""

from civicgrid.registry.io.kinds import IMPORTERS, import_ledger

__all__ = ["IMPORTERS", "import_ledger"]
