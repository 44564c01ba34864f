"""A damaged .xlsx (a zip whose XML does not parse) is a bad file, not a server error: the job
ends with a Chinese explanation instead of crashing with a parser exception."""

import io
import zipfile
from pathlib import Path

import pytest

from civicgrid.registry.io.kinds import import_ledger
from civicgrid.testing.users import RoleUsers


def broken_xlsx(path: Path) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.django_db
def test_a_damaged_workbook_is_reported_not_raised(tmp_path: Path, users: RoleUsers) -> None:
    report = import_ledger("person", broken_xlsx(tmp_path / "p.xlsx"), user=users.worker)
    assert report.fatal
    assert [e.reason for e in report.errors] == ["无法读取 Excel 文件,请确认是 .xlsx 格式"]
