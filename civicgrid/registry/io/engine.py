"""The one import engine every kind of ledger goes through (ARCHITECTURE rule 4).

A sheet (``reader``) is matched to the importer's columns (``columns``), cut into batches of
``writes.BATCH_SIZE`` rows, and each batch is validated and written by the kind's importer in
its own transaction: a crash keeps the batches before it and a re-run picks up where it
stopped. Every bad row is reported with its line, column, value (personal values masked) and
a Chinese reason; good rows are kept; running the same file again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from django.db import connection, connections, models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from civicgrid.core.bulk import fewer_collections
from civicgrid.core.imports import ImportReport
from civicgrid.geo.models import Grid
from civicgrid.geo.selectors import locate_batch
from civicgrid.registry.io import writes
from civicgrid.registry.io.columns import Column, Row, map_header
from civicgrid.registry.io.reader import Sheet, SheetError, cell_text, read_sheet
from civicgrid.registry.io.writes import write_history

if TYPE_CHECKING:
    from civicgrid.accounts.models import User


@dataclass
class LedgerReport(ImportReport):
    total_rows: int = 0
    # The file could not be read at all (format, missing columns): nothing was imported.
    fatal: bool = False

    @property
    def rejected_rows(self) -> int:
        return len({e.line for e in self.errors})

    def summary(self) -> str:
        if self.fatal:
            return "文件无法导入:" + "；".join(e.reason for e in self.errors)
        return (
            f"共 {self.total_rows} 行:新增 {self.created} 条,更新 {self.updated} 条,"
            f"未变 {self.unchanged} 条,有错误 {self.rejected_rows} 行(已跳过,其余已保存)"
        )

    def error_dicts(self) -> list[dict[str, Any]]:
        return [
            {"row": e.line, "column": e.column, "value": e.value, "reason": e.reason}
            for e in self.errors
        ]


@dataclass
class ImportContext:
    """Who imports and where. Every object a row touches (the grid it names or its point
    falls in, a recorded person, household, building or organisation found by natural key) is
    checked with ``allows``: the uploader's jurisdiction for ledgers (``user.in_scope(code,
    reads="ledgers")``) and the area chosen for the upload. A row failing it is rejected."""

    user: User | None = None
    scope_code: str = ""  # an extra narrowing (the grid/community chosen for the upload)
    now: dt.datetime = field(default_factory=timezone.now)

    def allows(self, code: str) -> bool:
        if self.scope_code and not code.startswith(self.scope_code):
            return False
        return self.user is None or self.user.in_scope(code, reads="ledgers")

    def scoped(self, queryset: QuerySet[Any], field_name: str = "grid_code") -> QuerySet[Any]:
        """``queryset`` narrowed to what this import may touch."""
        if self.user is not None:
            queryset = queryset.visible_to(self.user)  # type: ignore[attr-defined]
        if self.scope_code:
            queryset = queryset.filter(**{f"{field_name}__startswith": self.scope_code})
        return queryset

    @property
    def history(self) -> dict[str, Any]:
        return {"default_user": self.user, "default_change_reason": "批量导入"}


ProgressCallback = Callable[[int, int], None]

# Grid columns an import never needs for most rows.
HEAVY = ("geometry",)


class LedgerImporter:
    """One kind of ledger row. Subclasses declare the columns and validate + write a batch;
    state that spans batches (rows already seen in the file) lives on the instance."""

    kind: str
    columns: tuple[Column, ...]
    # Kinds whose batches split into a preparation that only reads (``prepare_batch``) and
    # the writes it returns: on PostgreSQL the engine then writes one batch while it prepares
    # the next (``_pipelined``).
    pipelines = False

    def __init__(self, ctx: ImportContext, report: LedgerReport) -> None:
        self.ctx = ctx
        self.report = report
        self.seen: dict[Any, int] = {}  # natural key → first line in the file
        self.grids: dict[str, Grid] = {}  # code → current grid, filled as rows name them
        self._grids_by_id: dict[int, Grid] = {}

    def import_batch(self, rows: list[Row]) -> None:
        """Validate and write one batch, inside the engine's transaction."""
        if not self.pipelines:
            raise NotImplementedError
        self.prepare_batch(rows)()

    def prepare_batch(self, rows: list[Row]) -> Callable[[], None]:
        """Validate ``rows`` (bad ones are reported on the spot) and return the batch's
        writes, to be run in a transaction, possibly on another thread's connection. It
        may read the database and reserve primary keys but writes nothing, and keeps its
        cross-batch state (``seen``) itself, so the next batch can be prepared before this
        one is written."""
        raise NotImplementedError

    def first_seen(self, row: Row, key: Any, column: str, what: str) -> bool:
        """False (and an error) when ``key`` already appeared on an earlier line."""
        line = self.seen.get(key)
        if line is not None:
            row.fail(column, f"与第 {line} 行重复({what})")
            return False
        self.seen[key] = row.line
        return True

    # Lookups shared by several kinds -------------------------------------------------------

    def grids_by_code(
        self, rows: list[Row], key: str = "grid_code", codes: Iterable[str] | None = None
    ) -> dict[str, Grid]:
        """The current grids the rows name (``codes``, when the caller has read the column
        already), each read once per import and without its geometry (a grid's GeoJSON is
        most of its row; the building importer reads it lazily for the few rows without
        coordinates)."""
        named = set(codes if codes is not None else (cell_text(r.raw(key)) for r in rows))
        named.discard("")
        missing = named - self.grids.keys()
        if missing:
            self.grids.update(
                (g.code, g) for g in Grid.objects.current().filter(code__in=missing).defer(*HEAVY)
            )
        return {code: self.grids[code] for code in named if code in self.grids}

    def grids_by_id(self, ids: set[int]) -> dict[int, Grid]:
        """The grids with these primary keys (a household's grid), each read once per
        import and without its geometry."""
        missing = ids - self._grids_by_id.keys()
        if missing:
            self._grids_by_id.update(
                (g.pk, g) for g in Grid.objects.filter(pk__in=missing).defer(*HEAVY)
            )
        return {pk: self._grids_by_id[pk] for pk in ids if pk in self._grids_by_id}

    def grid_for(self, row: Row, grids: dict[str, Grid], key: str = "grid_code") -> Grid | None:
        """The grid named in the row, after checking it exists and is in jurisdiction."""
        code = cell_text(row.raw(key))
        grid = grids.get(code)
        if grid is None:
            row.fail(key, "网格编码不存在或已停用")
            return None
        if not self.ctx.allows(grid.code):
            row.fail(key, "该网格不在您的管辖范围内")
            return None
        return grid

    def located_grids(self, points: list[tuple[float, float]]) -> list[Grid | None]:
        ids = locate_batch(points)
        grids = Grid.objects.defer(*HEAVY).in_bulk({i for i in ids if i is not None})
        return [grids.get(i) if i is not None else None for i in ids]

    def write(
        self,
        model: type[models.Model],
        new: list[Any],
        changed: list[Any],
        fields: set[str],
    ) -> None:
        if new:
            if connection.features.can_return_rows_from_bulk_insert:
                model._default_manager.bulk_create(new, batch_size=writes.BATCH_SIZE)
                write_history(model, new, "+", self.ctx)
            else:
                bulk_create_with_history(
                    new, model, batch_size=writes.BATCH_SIZE, **self.ctx.history
                )
            self.report.created += len(new)
        if changed:
            for obj in changed:
                obj.updated_at = self.ctx.now  # bulk_update skips auto_now
            model._default_manager.bulk_update(
                changed, sorted(fields | {"updated_at"}), batch_size=writes.BATCH_SIZE
            )
            write_history(model, changed, "~", self.ctx)
            self.report.updated += len(changed)


def apply(obj: Any, values: dict[str, Any], changed_fields: set[str]) -> bool:
    """Set the non-empty ``values`` on ``obj``; True when something differed. Empty cells
    never clear what is already recorded: a partial sheet loses nothing."""
    changed = False
    for name, value in values.items():
        if value in ("", None):
            continue
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed_fields.add(obj._meta.get_field(name).name)  # "grid_id" → "grid"
            changed = True
    return changed


def run_import(
    importer_class: type[LedgerImporter],
    source: Path | str | IO[bytes],
    *,
    user: User | None = None,
    scope_code: str = "",
    progress: ProgressCallback | None = None,
) -> LedgerReport:
    """Import one ledger file with one kind's importer (``kinds.import_ledger`` picks it by
    name). Each batch commits on its own, so a crash keeps the batches before it and a re-run
    picks up where it stopped (rows already there are unchanged)."""
    report = LedgerReport()
    importer = importer_class(ImportContext(user=user, scope_code=scope_code), report)
    try:
        sheet = read_sheet(source, importer.columns)
    except SheetError as exc:
        report.fatal = True
        report.error(1, "文件", "", str(exc))
        return report
    try:
        positions = map_header(sheet, importer.columns)
    except SheetError as exc:
        sheet.close()
        report.fatal = True
        report.error(sheet.header_line, "表头", "", str(exc))
        return report
    columns = {c.key: c for c in importer.columns}
    try:
        _import_rows(importer, sheet, positions, columns, progress)
    except SheetError as exc:
        # A file that turns unreadable part-way (a broken xlsx part, a byte no encoding
        # reads): the batches before it are kept, and the report says where it stopped.
        report.error(report.total_rows + sheet.header_line + 1, "文件", "", str(exc))
    finally:
        sheet.close()
    report.errors.sort(key=lambda e: e.line)
    return report


def _import_rows(
    importer: LedgerImporter,
    sheet: Sheet,
    positions: dict[str, int],
    columns: dict[str, Column],
    progress: ProgressCallback | None,
) -> None:
    """Feed the sheet's rows to the importer a batch at a time, each batch in its own
    transaction; only one batch of rows is held at once."""
    report = importer.report
    expected = sheet.expected_rows
    if progress:
        progress(0, expected)
    batches = (
        [Row(line, cells, positions, columns, report) for line, cells in chunk]
        for chunk in iter(lambda: list(itertools.islice(sheet.rows, writes.BATCH_SIZE)), [])
    )

    def done(rows: list[Row]) -> None:
        report.total_rows += len(rows)
        if progress:
            progress(report.total_rows, max(expected, report.total_rows))

    with fewer_collections():
        if importer.pipelines and _may_pipeline():
            _pipelined(importer, batches, done)
        else:
            for rows in batches:
                with transaction.atomic():
                    importer.import_batch(rows)
                done(rows)
    if progress and report.total_rows != expected:
        progress(report.total_rows, report.total_rows)  # the estimate was off: say so


def _may_pipeline() -> bool:
    """A second connection can write while this one reads: PostgreSQL, and not inside a
    caller's transaction, whose uncommitted rows (the grids and households a test just
    made) another connection could not see."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def _write_batch(write: Callable[[], None]) -> None:
    with transaction.atomic():
        write()


# Batches waiting for or in the writer while the next one is prepared. Two rather than one:
# preparing and writing a batch each take about the same time, but not batch by batch, and
# with one the faster side waited for the slower at every batch (measured).
PIPELINE_DEPTH = 2


class _Skipped(Exception):
    """A batch queued behind a failed write: never written."""


def _pipelined(
    importer: LedgerImporter, batches: Iterator[list[Row]], done: Callable[[list[Row]], None]
) -> None:
    """Prepare the next batch here while a writer thread (with its own connection) writes
    the earlier ones, in order, each in its own transaction. Preparing is Python (checking
    cells, encrypting) and writing is mostly the database server's work, so on two cores the
    two overlap; a 100,000-person import takes about the longer of the two instead of their
    sum (docs/scaling.md). At most ``PIPELINE_DEPTH`` batches wait to be written, so memory
    stays at a few batches. Progress counts a batch once it is committed; a failed write
    stops the import with the batches before it kept and those queued behind it unwritten,
    as a crash of the one-thread engine would."""
    failed = threading.Event()

    def write_in_turn(write: Callable[[], None]) -> None:
        if failed.is_set():
            raise _Skipped
        try:
            _write_batch(write)
        except BaseException:
            failed.set()
            raise

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-writer") as writer:
        pending: deque[tuple[Future[None], list[Row]]] = deque()

        def settle_oldest() -> None:
            future, rows = pending[0]
            future.result()
            pending.popleft()
            done(rows)

        try:
            for rows in batches:
                write = importer.prepare_batch(rows)
                while len(pending) >= PIPELINE_DEPTH:
                    settle_oldest()
                pending.append((writer.submit(write_in_turn, write), rows))
            while pending:
                settle_oldest()
        finally:
            # This thread failed (an unreadable row further on): the batches in flight are
            # still written and counted, so the report says where the import stopped.
            for future, rows in pending:
                if future.exception() is None:
                    done(rows)
            writer.submit(connections.close_all).result()
