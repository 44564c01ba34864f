"""Plain-row bulk inserts for imports and generated data (ARCHITECTURE rule 6: imports use
batched bulk writes; docs/scaling.md for the figures).

Rows are lists of values already prepared for the database (``field.get_db_prep_save``), in
the order of ``columns``. On PostgreSQL they go through ``COPY … FROM STDIN`` (psycopg 3's
``cursor.copy``), many times faster than any INSERT; elsewhere through one ``executemany``.
Primary keys are reserved first (``reserve_ids``) so callers can write dependent rows
(history, links) without reading anything back.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import CharField
from django.db.models.lookups import In

_gc_lock = threading.Lock()
_gc_holders = 0
_gc_threshold: tuple[int, int, int] = (700, 10, 10)


@contextmanager
def fewer_collections(young: int = 10_000) -> Iterator[None]:
    """Run a bulk job with the cyclic garbage collector mostly out of the way. A batch
    allocates hundreds of thousands of short-lived containers (rows, records, values), so
    with the default thresholds the collector ran a full collection every ~10,000 rows and
    each one walked the whole process (Django, the app, ~480,000 objects): 2.4 s of a
    100,000-person import (measured). Here the objects alive at the start are frozen
    (``gc.freeze``: never walked again until the job ends) and a young collection runs every
    ``young`` allocations instead of 700: 0.5 s. Reference counting still frees every batch
    as before; only cycles wait a little longer. Process-wide, so nested or concurrent jobs
    share one setting, restored when the last one ends."""
    global _gc_holders, _gc_threshold
    with _gc_lock:
        if _gc_holders == 0:
            _gc_threshold = gc.get_threshold()
            gc.freeze()
            gc.set_threshold(young, *_gc_threshold[1:])
        _gc_holders += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_holders -= 1
            if _gc_holders == 0:
                gc.set_threshold(*_gc_threshold)
                gc.unfreeze()


def reserve_ids(table: str, pk_column: str, count: int) -> list[int]:
    """``count`` fresh primary keys of ``table``. On PostgreSQL they come from the table's
    sequence (safe under concurrency); on SQLite from ``max(rowid)``, which is safe because
    the caller is inside a write transaction that holds the database's single write lock
    once it has written anything — callers insert right after reserving, in the same
    transaction."""
    if count <= 0:
        return []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [quote(table), pk_column, count],
            )
            return [pk for (pk,) in cursor.fetchall()]
        # BEGIN IMMEDIATE is not available through Django's atomic(); a no-op write takes
        # the write lock before the last id is read, so no other writer can take the same ids.
        cursor.execute(f"UPDATE {quote(table)} SET {quote(pk_column)} = 0 WHERE 0")
        # AUTOINCREMENT tables never reuse an id: sqlite_sequence may be ahead of max(id).
        cursor.execute(
            f"SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0),"
            f" COALESCE((SELECT MAX({quote(pk_column)}) FROM {quote(table)}), 0))",
            [table],
        )
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert prepared ``rows`` into ``table`` (column names, not attnames); the number
    written. Run it inside the caller's transaction."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no copy()
            with raw.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    written += 1
            return written
        batch = list(rows)
        placeholders = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({placeholders})", batch)
        return len(batch)


@CharField.register_lookup
class AnyOf(In):
    """``field__any_of=keys``: the rows whose ``field`` is one of ``keys``, as ``IN`` does,
    sent on PostgreSQL as ``field = ANY(%s)`` with the keys as one array parameter. An
    import looks up a batch of 2,000 natural keys at a time; written as 2,000 placeholders,
    psycopg spent ≈ 20 ms splitting each such query and Django ≈ 10 ms compiling it
    (measured on a 100,000-person import), more than the database took to answer."""

    lookup_name = "any_of"

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        keys = [key for key in self.rhs if key is not None]
        if not keys:
            raise EmptyResultSet
        return f"{lhs} = ANY(%s)", [*lhs_params, keys]
