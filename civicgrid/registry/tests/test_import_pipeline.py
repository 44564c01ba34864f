"""On PostgreSQL a person import writes batch n on a second connection while it prepares
batch n + 1 (``engine._pipelined``): the rows, history, household heads, errors and progress
are those of the one-thread engine, and a failure part-way keeps the committed batches."""

import itertools
import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from civicgrid.registry.io import engine, reader, writes
from civicgrid.registry.io.kinds import import_ledger
from civicgrid.registry.io.people import PersonImporter
from civicgrid.registry.models import Person
from civicgrid.registry.tests.factories import (
    make_building,
    make_dwelling,
    make_household,
    resident_id,
)
from civicgrid.testing.city import TestCity
from civicgrid.testing.ledger_files import csv_file

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pipelines on PostgreSQL only"),
]

HEADER = ["姓名", "身份证号", "户号", "与户主关系", "网格编码"]


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writes, "BATCH_SIZE", 3)


@pytest.fixture
def writer_threads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The name of the thread each batch was written on."""
    names: list[str] = []
    write_batch = engine._write_batch

    def recorded(write: Any) -> None:
        names.append(threading.current_thread().name)
        write_batch(write)

    monkeypatch.setattr(engine, "_write_batch", recorded)
    return names


def test_batches_are_written_on_a_second_connection_with_the_same_result(
    tmp_path: Path, city: TestCity, small_batches: None, writer_threads: list[str]
) -> None:
    west = city.grids["a1_west"].code
    household = make_household(
        make_dwelling(make_building(city.grids["a1_west"], "甲一路1号")), number="H001"
    )
    ids = [resident_id() for _ in range(8)]
    rows = [
        ["张一", ids[0], "", "", west],
        ["张二", ids[1], "", "", west],
        ["张三", ids[2], household.number, "户主", ""],
        ["张四", ids[3], "", "", west],
        ["张一", ids[0], "", "", west],  # line 6: repeats line 2, in a later batch
        ["张五", ids[4], household.number, "户主", ""],  # line 7: a second head, later batch
        ["张六", ids[5], "", "", west],
        ["张七", ids[6], "", "", "520102001001999"],  # line 9: no such grid
        ["张八", ids[7], "", "", west],
    ]
    progress: list[tuple[int, int]] = []
    report = import_ledger(
        "person",
        csv_file(tmp_path / "people.csv", HEADER, rows),
        progress=lambda *p: progress.append(p),
    )

    assert writer_threads and all(n.startswith("import-writer") for n in writer_threads)
    assert len(writer_threads) == 3
    assert report.created == 7 and report.total_rows == 9
    assert {(e.line, e.column) for e in report.errors} == {
        (6, "证件号码"),
        (7, "与户主关系"),
        (9, "网格编码"),
    }
    assert Person.objects.count() == 7
    assert Person.history.filter(history_type="+").count() == 7
    household.refresh_from_db()
    assert household.head is not None and household.head.name == "张三"
    assert [p for p in progress if p[0]] == [(3, 9), (6, 9), (9, 9)]


def test_a_failed_write_stops_the_import_and_keeps_the_batches_before_it(
    tmp_path: Path,
    city: TestCity,
    small_batches: None,
    writer_threads: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    west = city.grids["a1_west"].code
    rows = [[f"李{i}", resident_id(), "", "", west] for i in range(9)]
    prepare = PersonImporter.prepare_batch
    prepared: list[int] = []

    def second_fails(self: PersonImporter, batch: Any) -> Any:
        write = prepare(self, batch)
        prepared.append(len(batch))
        if len(prepared) != 2:
            return write

        def broken() -> None:
            write()
            raise RuntimeError("connection lost")

        return broken

    monkeypatch.setattr(PersonImporter, "prepare_batch", second_fails)
    progress: list[tuple[int, int]] = []
    with pytest.raises(RuntimeError, match="connection lost"):
        import_ledger(
            "person",
            csv_file(tmp_path / "people.csv", HEADER, rows),
            progress=lambda *p: progress.append(p),
        )

    # The first batch is committed and counted; the second rolled back whole.
    assert sorted(Person.objects.values_list("name", flat=True)) == ["李0", "李1", "李2"]
    assert Person.history.count() == 3
    assert progress[-1] == (3, 9)


def test_a_file_unreadable_part_way_counts_the_batch_in_flight(
    tmp_path: Path,
    city: TestCity,
    small_batches: None,
    writer_threads: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    west = city.grids["a1_west"].code
    rows = [[f"王{i}", resident_id(), "", "", west] for i in range(6)]
    read_sheet = engine.read_sheet

    def breaks_after_four_rows(source: Any, columns: Any) -> reader.Sheet:
        sheet = read_sheet(source, columns)
        good = itertools.islice(sheet.rows, 4)

        def rows() -> Any:
            yield from good
            raise reader.SheetError("文件已损坏")

        sheet.rows = rows()
        return sheet

    monkeypatch.setattr(engine, "read_sheet", breaks_after_four_rows)
    report = import_ledger("person", csv_file(tmp_path / "people.csv", HEADER, rows))

    # Rows 1-3 were written while row 4 was read; the report says the file broke after them.
    assert Person.objects.count() == 3 and report.created == 3
    assert report.total_rows == 3
    assert [(e.line, e.reason) for e in report.errors] == [(5, "文件已损坏")]
