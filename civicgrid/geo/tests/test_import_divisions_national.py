"""A whole city's list in the shape the national statistics bureau publishes it."""

from pathlib import Path

import pytest

from civicgrid.geo.models import Region
from civicgrid.geo.services import import_divisions


def national_list(districts: int = 10, streets: int = 15, communities: int = 20) -> str:
    """Header, 12-digit padded codes at every level, 城乡分类代码 between code and name,
    镇 (100-199) streets with 村委会 (200-399), a 市辖区 row, blank lines and stray spaces."""
    lines = ["统计用区划代码,城乡分类代码,名称", "", "520100000000,,贵阳市", "520101000000,,市辖区"]
    for d in range(1, districts + 1):
        district = f"5201{d + 1:02d}"
        lines.append(f"{district}000000,,第{d}区")
        for s in range(1, streets + 1):
            town = s > streets // 2
            street = f"{district}{100 + s if town else s:03d}"
            lines.append(f"{street}000,,第{s}{'镇人民政府' if town else '街道办事处'}")
            for c in range(1, communities + 1):
                serial = 200 + c if town else c
                kind = "220" if town else "111"
                name = f"第{c}{'村村民委员会' if town else '社区居委会'}"
                lines.append(f" {street}{serial:03d} ,{kind}, {name} ")
        lines.append("")
    return "\n".join(lines) + "\n"


@pytest.mark.django_db
def test_a_city_list_gives_the_right_count_at_each_level(tmp_path: Path) -> None:
    path = tmp_path / "guiyang.csv"
    path.write_text(national_list(), encoding="gb18030")
    report = import_divisions(path)
    assert report.ok, report.errors[:3]
    assert dict(report.tally) == {"city": 1, "district": 11, "street": 150, "community": 3000}
    assert Region.objects.filter(level="community").count() == 3000
    village = Region.objects.get(code="520102108201")
    assert (village.name, village.short_name) == ("第1村村民委员会", "第1村")
    assert village.parent is not None and village.parent.short_name == "第8镇"
    assert Region.objects.get(code="520101").name == "市辖区"


@pytest.mark.django_db
def test_header_naming_the_columns_and_a_bom_are_understood(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(
        "代码,名称,城乡分类代码\n5201,贵阳市,\n520102,南明区,\n520102001,新华路街道办事处,\n"
        "520102001001,多福巷社区居委会,111\n",
        encoding="utf-8-sig",
    )
    report = import_divisions(path)
    assert report.ok, report.errors
    assert Region.objects.get(code="520102001001").short_name == "多福巷社区"
    assert Region.objects.get(code="520102001").short_name == "新华路街道"


@pytest.mark.django_db
def test_reimporting_a_city_list_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "small.csv"
    path.write_text(national_list(districts=2, streets=2, communities=3), encoding="utf-8")
    first = import_divisions(path)
    again = import_divisions(path)
    assert first.created == 1 + 3 + 4 + 12
    assert (again.created, again.updated, again.unchanged) == (0, 0, first.created)


@pytest.mark.django_db
def test_space_separated_lists_and_spreadsheet_codes_are_understood(tmp_path: Path) -> None:
    path = tmp_path / "pasted.txt"
    path.write_text("5201 贵阳市\n520102 南明区\n520102001000.0,新华路街道办事处\n5.20102E+11,坏\n")
    report = import_divisions(path)
    assert report.created == 3
    [error] = report.errors
    assert (error.line, error.column) == (4, "code") and "科学计数法" in error.reason
