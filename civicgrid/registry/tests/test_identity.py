from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from civicgrid.registry.choices import DocumentType, Sex
from civicgrid.registry.identity import (
    make_resident_id,
    name_initials,
    normalise_phone,
    parse_document,
    parse_resident_id,
    validate_uscc,
)

AREAS = ["520102", "520103", "520111", "520112", "110105"]

resident_ids = st.builds(
    make_resident_id,
    st.sampled_from(AREAS),
    st.dates(min_value=date(1920, 1, 1), max_value=date(2024, 12, 31)),
    st.integers(min_value=0, max_value=499),
    male=st.booleans(),
)


@given(resident_ids)
def test_generated_resident_ids_pass(number: str) -> None:
    assert parse_resident_id(number).number == number


@given(resident_ids, st.integers(min_value=0, max_value=17), st.integers(min_value=1, max_value=9))
def test_changing_one_digit_fails(number: str, position: int, delta: int) -> None:
    chars = list(number)
    if chars[position] == "X":
        chars[position] = str(delta)
    else:
        chars[position] = str((int(chars[position]) + delta) % 10)
    with pytest.raises(ValidationError):
        parse_resident_id("".join(chars))


@given(
    st.dates(min_value=date(1930, 1, 1), max_value=date(2020, 12, 31)),
    st.booleans(),
    st.integers(min_value=0, max_value=499),
)
def test_birth_date_and_sex_are_derived(born: date, male: bool, serial: int) -> None:
    info = parse_resident_id(make_resident_id("520102", born, serial, male=male))
    assert info.birth_date == born
    assert info.sex == (Sex.MALE if male else Sex.FEMALE)


def test_known_number_with_x_check_digit() -> None:
    info = parse_resident_id("11010519491231002x")
    assert info.number == "11010519491231002X"
    assert info.sex == Sex.FEMALE
    assert info.birth_date == date(1949, 12, 31)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("5201021980", "18位"),
        ("5201021980051700AX", "数字"),
        ("990102198005170011", "地区码"),
        ("520102198005170012", "校验位"),
        ("520102198013320019", "出生日期"),
    ],
)
def test_bad_resident_ids_get_chinese_messages(value: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_resident_id(value)
    assert message in caught.value.messages[0]


def test_passport_needs_no_checksum() -> None:
    info = parse_document(DocumentType.PASSPORT, "e 1234 5678")
    assert info.number == "E12345678"
    assert info.birth_date is None


def test_uscc_is_validated() -> None:
    assert validate_uscc("91110000600037341l") == "91110000600037341L"
    with pytest.raises(ValidationError, match="校验位"):
        validate_uscc("91110000600037341M")


def test_name_initials() -> None:
    assert name_initials("张三丰") == "zsf"
    assert name_initials("欧阳娜娜") == "oynn"


mobiles = st.from_regex(r"\A1[3-9]\d{9}\Z")


@given(mobiles)
def test_eleven_digit_mobiles_pass(number: str) -> None:
    assert normalise_phone(number) == number


@given(mobiles, st.integers(min_value=1, max_value=10))
def test_a_mobile_missing_digits_is_refused(number: str, cut: int) -> None:
    with pytest.raises(ValidationError) as caught:
        normalise_phone(number[:-cut])
    assert caught.value.messages == ["手机号码应为以1开头的11位数字"]


@given(mobiles, st.sampled_from("0123456789"))
def test_a_mobile_with_an_extra_digit_is_refused(number: str, extra: str) -> None:
    with pytest.raises(ValidationError):
        normalise_phone(number + extra)


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ("0851-86801234", "085186801234"),
        ("085186801234", "085186801234"),
        ("010 6552 9988", "01065529988"),
        ("86801234", "86801234"),
        ("6801234", "6801234"),
        ("400-810-5050", "4008105050"),
        ("+86 139 8501 2345", "+8613985012345"),
        ("+44 20 7946 0958", "+442079460958"),
    ],
)
def test_landlines_local_and_international_numbers_pass(value: str, stored: str) -> None:
    assert normalise_phone(value) == stored


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1398501", "手机号码应为以1开头的11位数字"),
        ("12345678901", "手机号码应为以1开头的11位数字"),
        ("+86 1398501", "手机号码应为以1开头的11位数字"),
        ("0851-123", "固定电话应为区号加7至8位号码"),
        ("0851-0680123", "固定电话应为区号加7至8位号码"),
        ("680123", "11位手机号码或7至8位固定电话"),
        ("868012345", "11位手机号码或7至8位固定电话"),
        ("138-1234-567a", "只能包含数字"),
    ],
)
def test_bad_phone_numbers_get_chinese_messages(value: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        normalise_phone(value)
    assert message in caught.value.messages[0]
