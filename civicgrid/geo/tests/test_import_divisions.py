from pathlib import Path

import pytest

from civicgrid.geo.models import Region
from civicgrid.geo.services import import_divisions

GOOD = """code,name
520000000000,贵州省
520100000000,贵阳市
520102000000,南明区
520102001000,新华路街道办事处
520102001001,多福巷社区居委会
520102001002,箭道街社区居民委员会
520103,云岩区
520103001,中华路街道办事处
"""


def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "divisions.csv"
    path.write_text(text, encoding=encoding)
    return path


@pytest.mark.django_db
def test_import_builds_the_hierarchy_with_levels_and_short_names(tmp_path: Path) -> None:
    report = import_divisions(write(tmp_path, GOOD))
    assert report.ok, report.errors
    assert report.created == 8
    community = Region.objects.get(code="520102001001")
    assert community.level == "community"
    assert community.short_name == "多福巷社区"
    assert community.parent is not None and community.parent.code == "520102001"
    assert community.parent.parent.code == "520102"  # type: ignore[union-attr]
    assert Region.objects.get(code="5201").parent.code == "52"  # type: ignore[union-attr]


@pytest.mark.django_db
def test_reimport_is_idempotent_and_updates_names(tmp_path: Path) -> None:
    import_divisions(write(tmp_path, GOOD))
    again = import_divisions(write(tmp_path, GOOD))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 8)
    renamed = import_divisions(write(tmp_path, GOOD.replace("多福巷社区居委会", "多福社区居委会")))
    assert (renamed.created, renamed.updated) == (0, 1)
    assert Region.objects.count() == 8
    assert Region.objects.get(code="520102001001").short_name == "多福社区"


@pytest.mark.django_db
def test_bad_rows_are_reported_by_line_and_good_rows_kept(tmp_path: Path) -> None:
    text = GOOD + "\n".join(
        [
            "52010x,坏代码",  # line 10
            "5201020,七位",  # line 11
            "520199001001,孤儿社区",  # line 12: street 520199001 missing
            "520102001001,另一个名字",  # line 13: duplicate code, different name
            "520102001002,箭道街社区居民委员会",  # line 14: exact duplicate, ignored
            "520102002,",  # line 15: no name
        ]
    )
    report = import_divisions(write(tmp_path, text))
    errors = {(e.line, e.column): e.reason for e in report.errors}
    assert set(errors) == {(10, "code"), (11, "code"), (12, "code"), (13, "code"), (15, "name")}
    assert "520199001" in errors[(12, "code")]
    assert "第 6 行" in errors[(13, "code")]
    assert report.created == 8
    assert not Region.objects.filter(code="520199001001").exists()


@pytest.mark.django_db
def test_gb18030_files_from_excel_are_read(tmp_path: Path) -> None:
    report = import_divisions(write(tmp_path, GOOD, encoding="gb18030"))
    assert report.created == 8
    assert Region.objects.get(code="520103").name == "云岩区"
