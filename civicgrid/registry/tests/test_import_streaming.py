"""Ledger files are read as a stream: a big sheet is never held whole, an upload that cannot
seek is still read, the encoding is settled over the whole file, and the progress bar knows
the size from the start."""

import io
from pathlib import Path
from typing import Any

import pytest

from civicgrid.registry.io import reader
from civicgrid.registry.io.kinds import import_ledger
from civicgrid.registry.io.people import PersonImporter
from civicgrid.registry.models import Person
from civicgrid.testing.city import TestCity

HEADER = "姓名,证件号码,网格编码\n"


class OneWay(io.RawIOBase):
    """An upload stream that can only be read forward."""

    def __init__(self, data: bytes) -> None:
        self.data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self.data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_rows_are_read_as_they_are_used(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text(HEADER + "张三,110101199003075031,520102001001001\n" * 100_000)
    sheet = reader.read_sheet(path, PersonImporter.columns)
    try:
        assert next(sheet.rows)[1][0] == "张三"
        assert sheet.stream is not None
        assert sheet.stream.tell() < path.stat().st_size // 10
        assert sheet.expected_rows == 100_000
    finally:
        sheet.close()


def test_gb18030_past_the_first_chunk_is_recognised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reader, "_CHUNK", 64)
    text = HEADER + "a,1,2\n" * 30 + "王芳,110101199003075031,520102001001001\n"
    path = tmp_path / "excel.csv"
    path.write_bytes(text.encode("gb18030"))
    sheet = reader.read_sheet(path, PersonImporter.columns)
    assert [cells[0] for _, cells in sheet.rows][-1] == "王芳"
    sheet.close()


@pytest.mark.django_db
def test_an_upload_that_cannot_seek_is_imported(city: TestCity) -> None:
    data = (HEADER + "张三,110101199003075031," + city.grids["a1_west"].code + "\n").encode()
    progress: list[tuple[int, int]] = []
    report = import_ledger(
        "person", io.BufferedReader(OneWay(data)), progress=lambda *p: progress.append(p)
    )
    assert report.ok and report.created == 1
    assert Person.objects.get().name == "张三"
    assert progress[0] == (0, 1) and progress[-1] == (1, 1)
