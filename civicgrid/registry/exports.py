"""Old home of the spreadsheet exports, now ``civicgrid.registry.io.exports``. Kept so that
callers written against it keep working."""

from civicgrid.registry.io.exports import (
    XLSX_TYPE,
    error_report_xlsx,
    ledger_filename,
    ledger_xlsx,
    template_csv,
    template_xlsx,
)

__all__ = [
    "XLSX_TYPE",
    "error_report_xlsx",
    "ledger_filename",
    "ledger_xlsx",
    "template_csv",
    "template_xlsx",
]
