"""Batched writes of imported rows with their history rows (ARCHITECTURE rule 6: imports use
batched bulk writes). Measured on 100,000-row imports: see each function for why it does not
go through the ORM one instance at a time."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db import connection, models
from django.utils import timezone

from civicgrid.core.bulk import insert_rows, reserve_ids
from civicgrid.core.pii import EncryptedTextField, encrypt_many

if TYPE_CHECKING:
    from civicgrid.registry.io.engine import ImportContext


# Rows per batch (and per transaction). 5,000 rather than 2,000: each batch pays fixed costs
# (its lookups, a commit with its foreign-key checks, the history copy's plan), and the
# writes of a 100,000-person import on PostgreSQL took 7.3 s instead of 8.6 s (measured);
# two batches in flight are still a few megabytes.
BATCH_SIZE = 5000


def history_stamp(ctx: ImportContext, kind: str) -> dict[str, Any]:
    """The history columns every row an import writes shares (by attname)."""
    return {
        "history_date": ctx.now,
        "history_change_reason": ctx.history["default_change_reason"],
        "history_type": kind,
        "history_user_id": ctx.user.pk if ctx.user is not None else None,
    }


def write_history(
    model: type[models.Model], objs: list[Any], kind: str, ctx: ImportContext
) -> None:
    """The historical rows simple-history's ``bulk_history_create`` would write for ``objs``
    ("+" created, "~" changed), prepared a column at a time and sent with
    ``core.bulk.insert_rows``. Building a historical model instance per row and compiling a
    bulk INSERT for it cost more than anything else in a 100,000-row import (measured);
    every value still goes through its field's ``get_db_prep_save``, so encryption and date
    handling are the ORM's."""
    history = model.history.model  # type: ignore[attr-defined]
    columns = [f for f in history._meta.concrete_fields if not f.primary_key]
    fixed = history_stamp(ctx, kind)
    for start in range(0, len(objs), BATCH_SIZE):
        batch = objs[start : start + BATCH_SIZE]
        values = [
            [f.get_db_prep_save(fixed[f.attname], connection)] * len(batch)
            if f.attname in fixed
            else column_values(f, [getattr(obj, f.attname) for obj in batch])
            for f in columns
        ]
        insert_rows(history._meta.db_table, [f.column for f in columns], zip(*values, strict=True))


# Backends where ``prepare_insert`` can reserve the primary keys of rows it inserts.
FAST_INSERT_VENDORS = frozenset({"sqlite", "postgresql"})


def column_values(field: models.Field[Any, Any], values: list[Any]) -> list[Any]:
    """``field.get_db_prep_save`` of each value of one column, skipping work that cannot
    change the result: a str in a plain text column is stored as is, and the same date,
    number or key in a batch is prepared once. Encrypted columns always go through the
    field (a fresh nonce per value); empty ones stay empty."""
    prepare = field.get_db_prep_save
    if isinstance(field, EncryptedTextField):
        return encrypt_many(values)
    if values and values.count(values[0]) == len(values) and type(values[0]) in SCALARS:
        # A column the sheet does not fill: every row holds the field's default.
        return [prepare(values[0], connection)] * len(values)
    if type(field) in (models.CharField, models.TextField):
        return [v if type(v) is str else prepare(v, connection) for v in values]
    if not isinstance(field, MEMO_FIELDS):
        return [prepare(v, connection) for v in values]
    memo: dict[tuple[type, Any], Any] = {}
    prepared = []
    for value in values:
        key = (type(value), value)
        if key not in memo:
            memo[key] = prepare(value, connection)
        prepared.append(memo[key])
    return prepared


# Values whose equality means the same database value (not 1 == True == 1.0 across types:
# a column holds one type).
SCALARS = (str, int, bool, type(None))

# Field types whose database value depends on the Python value alone.
MEMO_FIELDS = (
    models.BooleanField,
    models.DateField,  # DateTimeField too
    models.IntegerField,
    models.ForeignKey,
)


def prepare_insert(
    model: type[models.Model], records: list[dict[str, Any]], ctx: ImportContext
) -> Callable[[], None]:
    """New rows of ``model`` from ``records`` (attname → value, no primary key) with their "+"
    historical rows, prepared: primary keys reserved (``core.bulk.reserve_ids``) and set on
    each record as ``"id"``, every value prepared and personal ones encrypted. Returns the
    writes (the rows and their "+" historical rows),
    which the caller runs in a transaction: the import engine runs them on a second
    connection while it prepares the next batch (``engine._pipelined``).

    On SQLite the reserved ids are only safe when the writes follow in the same transaction
    (``reserve_ids``): there the engine never pipelines.

    ``bulk_create`` plus ``write_history`` spent most of a 100,000-person import in Django
    preparing ~95 values per person one expression at a time and building a model instance
    per row (measured); here the values are prepared a column at a time and the rows go
    out through ``core.bulk.insert_rows`` (COPY on PostgreSQL). Every value still goes
    through its field's ``get_db_prep_save`` (``column_values``), so encryption and date
    handling are the ORM's. The historical row is copied by the database."""
    if not records:
        return lambda: None
    if connection.vendor not in FAST_INSERT_VENDORS:
        raise NotImplementedError(connection.vendor)
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    now = timezone.now()  # what pre_save gives auto_now(_add) columns
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            for record in records:
                record[f.attname] = now
    history = model.history.model  # type: ignore[attr-defined]
    history_fields = [f for f in history._meta.concrete_fields if not f.primary_key]
    fixed = history_stamp(ctx, "+")
    ids = reserve_ids(meta.db_table, pk.column, len(records))
    for record, pk_value in zip(records, ids, strict=True):
        record[pk.attname] = pk_value
    prepared = [column_values(f, [r[f.attname] for r in records]) for f in fields]
    quote = connection.ops.quote_name
    # The "+" historical row is the new row plus the history columns: the database copies
    # it (INSERT … SELECT), so no value crosses the wire or goes through Python twice,
    # ciphertext included (the same plaintext under the same key, as simple-history would
    # store it).
    copied = [f for f in history_fields if f.attname not in fixed]
    stamped = [f for f in history_fields if f.attname in fixed]
    stamps = [f.get_db_prep_save(fixed[f.attname], connection) for f in stamped]
    copy_history = "INSERT INTO {} ({}) SELECT {} FROM {} WHERE {}".format(
        quote(history._meta.db_table),
        ", ".join(quote(f.column) for f in [*copied, *stamped]),
        ", ".join([*(quote(f.column) for f in copied), *["%s"] * len(stamped)]),
        quote(meta.db_table),
        f"{quote(pk.column)} BETWEEN %s AND %s"  # reserved ids are one consecutive run there
        if connection.vendor == "sqlite"
        else f"{quote(pk.column)} = ANY(%s)",
    )
    ids_param: list[Any] = [ids[0], ids[-1]] if connection.vendor == "sqlite" else [ids]

    def write() -> None:
        insert_rows(
            meta.db_table,
            [pk.column, *(f.column for f in fields)],
            zip(ids, *prepared, strict=True),
        )
        with connection.cursor() as cursor:
            cursor.execute(copy_history, [*stamps, *ids_param])

    return write
