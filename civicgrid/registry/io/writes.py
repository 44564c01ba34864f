"""Batched writes of imported rows with their history rows (ARCHITECTURE rule 6: imports use
batched bulk writes). Measured on 100,000-row imports: see each function for why it does not
go through the ORM one instance at a time."""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db import connection, models, transaction
from django.utils import timezone

from civicgrid.core.pii import EncryptedTextField

if TYPE_CHECKING:
    from civicgrid.registry.io.engine import ImportContext


BATCH_SIZE = 2000


def write_history(
    model: type[models.Model], objs: list[Any], kind: str, ctx: ImportContext
) -> None:
    """The historical rows simple-history's ``bulk_history_create`` would write for ``objs``
    ("+" created, "~" changed), inserted with one executemany per batch. Building a
    historical model instance per row and compiling a bulk INSERT for it cost more than
    anything else in a 100,000-row import (measured); every value still goes through its
    field's ``get_db_prep_save``, so encryption and date handling are the ORM's."""
    history = model.history.model  # type: ignore[attr-defined]
    columns = [f for f in history._meta.concrete_fields if not f.primary_key]
    fixed = {
        "history_date": ctx.now,
        "history_change_reason": ctx.history["default_change_reason"],
        "history_type": kind,
        "history_user_id": ctx.user.pk if ctx.user is not None else None,
    }
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(history._meta.db_table),
        ", ".join(quote(f.column) for f in columns),
        ", ".join(["%s"] * len(columns)),
    )
    plan = [(f, f.attname in fixed, fixed.get(f.attname)) for f in columns]
    with connection.cursor() as cursor:
        for start in range(0, len(objs), BATCH_SIZE):
            cursor.executemany(
                sql,
                [
                    [
                        f.get_db_prep_save(
                            value if is_fixed else getattr(obj, f.attname), connection
                        )
                        for f, is_fixed, value in plan
                    ]
                    for obj in objs[start : start + BATCH_SIZE]
                ],
            )


# Backends where ``insert_with_history`` can learn the primary keys of rows it inserts.
FAST_INSERT_VENDORS = frozenset({"sqlite", "postgresql"})


def column_preparer(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    """``field.get_db_prep_save`` for one column, skipping work that cannot change the value:
    a str in a plain text column is stored as is, and the same date, number or key in a
    batch is prepared once. Encrypted columns always go through the field (fresh token)."""
    if isinstance(field, EncryptedTextField):
        return lambda value: field.get_db_prep_save(value, connection)
    if type(field) in (models.CharField, models.TextField):
        return lambda value: (
            value if isinstance(value, str) else field.get_db_prep_save(value, connection)
        )
    if not isinstance(field, MEMO_FIELDS):
        return lambda value: field.get_db_prep_save(value, connection)
    memo: dict[tuple[type, Any], Any] = {}

    def prepare(value: Any) -> Any:
        key = (type(value), value)
        if key not in memo:
            memo[key] = field.get_db_prep_save(value, connection)
        return memo[key]

    return prepare


# Field types whose database value depends on the Python value alone.
MEMO_FIELDS = (
    models.BooleanField,
    models.DateField,  # DateTimeField too
    models.IntegerField,
    models.ForeignKey,
)


def insert_with_history(
    model: type[models.Model], records: list[dict[str, Any]], ctx: ImportContext
) -> None:
    """Insert ``records`` (attname → value, no primary key) as new rows of ``model`` with
    their "+" historical rows, and set each record's ``"id"``.

    ``bulk_create`` plus ``write_history`` spent most of a 100,000-person import in Django
    preparing ~95 values per person one expression at a time and building a model instance
    per row (measured); here the rows are plain lists sent with one ``executemany`` each.
    Every value still goes through its field's ``get_db_prep_save`` (``column_preparer``),
    so encryption and date handling are the ORM's. The historical row reuses the prepared
    values of the new row, encrypted columns included: the same plaintext under the same
    key, as simple-history would store it, without encrypting everything twice.

    Primary keys: on PostgreSQL they are reserved from the table's sequence first; on
    SQLite the rows are inserted under the write lock this transaction holds, so their
    rowids are consecutive and end at ``last_insert_rowid()``."""
    if not records:
        return
    if connection.vendor not in FAST_INSERT_VENDORS:
        raise NotImplementedError(connection.vendor)
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    now = timezone.now()  # what pre_save gives auto_now(_add) columns
    stamped = [
        f.attname
        for f in fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    plan = [(f.attname, column_preparer(f)) for f in fields]
    rows = []
    for record in records:
        for attname in stamped:
            record[attname] = now
        rows.append([prepare(record[attname]) for attname, prepare in plan])

    history = model.history.model  # type: ignore[attr-defined]
    history_fields = [f for f in history._meta.concrete_fields if not f.primary_key]
    fixed = {
        "history_date": ctx.now,
        "history_change_reason": ctx.history["default_change_reason"],
        "history_type": "+",
        "history_user_id": ctx.user.pk if ctx.user is not None else None,
    }
    # A historical row is the new row's values, then its id, then the fixed columns.
    position = {attname: i for i, (attname, _) in enumerate(plan)}
    position[pk.attname] = len(plan)
    constants = [
        f.get_db_prep_save(fixed[f.attname], connection)
        for f in history_fields
        if f.attname in fixed
    ]
    for offset, f in enumerate(f for f in history_fields if f.attname in fixed):
        position[f.attname] = len(plan) + 1 + offset
    pick = operator.itemgetter(*(position[f.attname] for f in history_fields))

    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk.column, len(rows)],
            )
            ids = [pk_value for (pk_value,) in cursor.fetchall()]
            cursor.executemany(
                insert_sql(table, [pk, *fields]),
                [[pk_value, *row] for pk_value, row in zip(ids, rows, strict=True)],
            )
        else:
            cursor.executemany(insert_sql(table, fields), rows)
            cursor.execute("SELECT last_insert_rowid()")
            last = cursor.fetchone()[0]
            ids = list(range(last - len(rows) + 1, last + 1))
        cursor.executemany(
            insert_sql(quote(history._meta.db_table), history_fields),
            [pick([*row, pk_value, *constants]) for pk_value, row in zip(ids, rows, strict=True)],
        )
    for record, pk_value in zip(records, ids, strict=True):
        record[pk.attname] = pk_value


def insert_sql(table: str, fields: list[models.Field[Any, Any]]) -> str:
    quote = connection.ops.quote_name
    return "INSERT INTO {} ({}) VALUES ({})".format(
        table, ", ".join(quote(f.column) for f in fields), ", ".join(["%s"] * len(fields))
    )
