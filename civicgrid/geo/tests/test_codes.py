import pytest

from civicgrid.geo.codes import (
    CodeError,
    ancestor_codes,
    level_of,
    normalise_code,
    parent_code,
    short_name,
)


@pytest.mark.parametrize(
    ("raw", "code", "level"),
    [
        ("52", "52", "province"),
        ("5201", "5201", "city"),
        ("520102", "520102", "district"),
        ("520102001", "520102001", "street"),
        ("520102001001", "520102001001", "community"),
        ("520000000000", "52", "province"),
        ("520100000000", "5201", "city"),
        ("520102000000", "520102", "district"),
        ("520102001000", "520102001", "street"),
        (" 520102001001 ", "520102001001", "community"),
    ],
)
def test_codes_of_every_length_normalise_to_their_level(raw: str, code: str, level: str) -> None:
    assert normalise_code(raw) == code
    assert level_of(code) == level


@pytest.mark.parametrize("raw", ["5201a", "520", "52010", "5201020011", "", "１２", "000000000000"])
def test_malformed_codes_are_rejected(raw: str) -> None:
    with pytest.raises(CodeError):
        normalise_code(raw)


def test_parent_and_ancestors_follow_the_code() -> None:
    assert parent_code("520102001001003") == "520102001001"
    assert parent_code("520102001001") == "520102001"
    assert parent_code("520102") == "5201"
    assert parent_code("52") is None
    assert ancestor_codes("520102001001003") == [
        "52",
        "5201",
        "520102",
        "520102001",
        "520102001001",
    ]


@pytest.mark.parametrize(
    ("full", "short"),
    [
        ("多福巷社区居委会", "多福巷社区"),
        ("多福巷社区居民委员会", "多福巷社区"),
        ("利西居委会", "利西社区"),
        ("龙洞堡村村民委员会", "龙洞堡村"),
        ("中华南路街道办事处", "中华南路街道"),
        ("南明区", "南明区"),
    ],
)
def test_short_names_drop_the_organ_suffix(full: str, short: str) -> None:
    assert short_name(full) == short
