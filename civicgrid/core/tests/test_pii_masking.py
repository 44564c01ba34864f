import pytest

from civicgrid.core.pii import blind_index, mask_address, mask_id_number, mask_phone


def test_resident_id_keeps_four_at_each_end() -> None:
    assert mask_id_number("52010219800517123X") == "5201**********123X"


def test_mobile_keeps_prefix_and_last_four() -> None:
    assert mask_phone("13812345678") == "138****5678"


def test_short_phone_keeps_last_four() -> None:
    assert mask_phone("5851234") == "***1234"


def test_address_hides_the_door_number() -> None:
    masked = mask_address("南明区多福巷3号2单元501")
    assert masked.endswith("****") and "501" not in masked


@pytest.mark.parametrize("empty", ["", None])
def test_empty_values_mask_to_empty(empty: str | None) -> None:
    assert mask_id_number(empty) == mask_phone(empty) == mask_address(empty) == ""


def test_blind_index_ignores_spacing_and_case_but_not_purpose() -> None:
    a = blind_index("52010219800517123x", purpose="id_number")
    assert a == blind_index(" 5201 0219 8005 1712 3X", purpose="id_number")
    assert a != blind_index("52010219800517123X", purpose="phone")
