"""Storage settings for the city's biggest tables on PostgreSQL (docs/scaling.md,
"Autovacuum"), applied by each app's migration so no operator has to remember them.

PostgreSQL's defaults vacuum a table after a fifth of it changed: a 10-million-row ledger only
after 2 million changes, and the insert-only history and event tables almost never, so their
visibility maps go stale and index-only scans stop paying off. A hundredth is about right at
city scale; on small tables the thresholds' fixed part (50 rows) keeps it from running often.
SQLite has no such settings, so there the operation does nothing."""

from __future__ import annotations

from typing import Any

from django.db import migrations

BIG_TABLE_STORAGE = {
    "autovacuum_vacuum_scale_factor": "0.01",
    "autovacuum_vacuum_insert_scale_factor": "0.01",
    "autovacuum_analyze_scale_factor": "0.005",
}


def big_table_autovacuum(*tables: str) -> migrations.RunPython:
    """A migration operation setting ``BIG_TABLE_STORAGE`` on ``tables`` (reversed: reset)."""

    def apply(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        quote = schema_editor.quote_name
        options = ", ".join(f"{name} = {value}" for name, value in BIG_TABLE_STORAGE.items())
        for table in tables:
            schema_editor.execute(f"ALTER TABLE {quote(table)} SET ({options})")

    def reset(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        quote = schema_editor.quote_name
        for table in tables:
            schema_editor.execute(
                f"ALTER TABLE {quote(table)} RESET ({', '.join(BIG_TABLE_STORAGE)})"
            )

    return migrations.RunPython(apply, reset, elidable=False)
