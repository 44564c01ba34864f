"""Natural keys of the ledgers: identity documents, credit codes, name initials, blind indexes.

Used by the models, forms, API, imports and the demo, so every door validates the same way and
gives the same Chinese message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin
from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError

from civicgrid.core.pii import blind_index, normalise
from civicgrid.registry.choices import DocumentType, Sex

# GB 11643-1999 weights for the MOD 11-2 check digit of the 18-digit resident ID.
_RIC_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]
_RIC_CHECK = "10X98765432"


@dataclass(frozen=True)
class IdentityInfo:
    number: str
    birth_date: date | None
    sex: str  # Sex value; derived only for resident IDs


def ric_check_digit(first17: str) -> str:
    """The MOD 11-2 check digit for the first 17 digits of a resident ID."""
    total = sum(int(d) * w for d, w in zip(first17, _RIC_WEIGHTS, strict=True))
    return _RIC_CHECK[total % 11]


# The area table lookup costs more than the checksum; imports repeat the same few areas.
@lru_cache(maxsize=4096)
def _known_area(code: str) -> bool:
    from stdnum import numdb

    return any(props for _part, props in numdb.get("cn/loc").info(code))


def parse_resident_id(value: str) -> IdentityInfo:
    """Validate an 18-digit resident ID and derive birth date and sex (odd 17th digit = male)."""
    number = normalise(value)
    if len(number) != 18:
        raise ValidationError(_("身份证号码应为18位"), code="length")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(_("身份证号码前17位应为数字,末位为数字或X"), code="format")
    if number[17] != ric.calc_check_digit(number):
        raise ValidationError(_("身份证号码校验位不正确,请核对"), code="checksum")
    try:  # ric.get_birth_date without cleaning the number again: the same date or error
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise ValidationError(_("身份证号码中的出生日期无效"), code="birth_date") from exc
    # ``ric.validate`` also rejects an area code created after the birth year, but numbers
    # issued since 1984 carry the then-current code (a 1950-born 南明区 resident has 520102),
    # so only require that the code is known at all.
    if not _known_area(number[:6]):
        raise ValidationError(_("身份证号码中的地区码无效"), code="area")
    if birth > date.today():
        raise ValidationError(_("身份证号码中的出生日期晚于今天"), code="future")
    sex = Sex.MALE if int(number[16]) % 2 == 1 else Sex.FEMALE
    return IdentityInfo(number=number, birth_date=birth, sex=sex)


def parse_document(document_type: str, value: str) -> IdentityInfo:
    """Validate an identity document number. Resident IDs are checked and give birth date and
    sex; passports and other documents only need a plausible shape (no public checksum)."""
    if document_type == DocumentType.RESIDENT_ID:
        return parse_resident_id(value)
    number = normalise(value)
    if not 5 <= len(number) <= 30 or not number.isalnum():
        raise ValidationError(_("证件号码应为5至30位字母或数字"), code="format")
    return IdentityInfo(number=number, birth_date=None, sex=Sex.UNKNOWN)


def validate_uscc(value: str) -> str:
    """A unified social credit code (统一社会信用代码), normalised, or a Chinese error."""
    try:
        return str(uscc.validate(normalise(value)))
    except InvalidLength as exc:
        raise ValidationError(_("统一社会信用代码应为18位"), code="length") from exc
    except InvalidChecksum as exc:
        raise ValidationError(_("统一社会信用代码校验位不正确,请核对"), code="checksum") from exc
    except StdnumError as exc:
        raise ValidationError(_("统一社会信用代码格式不正确"), code="format") from exc


# A mobile number is 1 + a network digit 3–9 + 9 digits; a landline is an area code (010,
# 02x, 0xxx) + a 7–8 digit local number, or the local number alone; 400/800 are nationwide
# service lines. The shape alone catches the common slip: a mobile number missing digits.
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}[2-9]\d{6,7}")
_LOCAL = re.compile(r"[2-9]\d{6,7}")
_SERVICE = re.compile(r"[48]00\d{7}")


def normalise_phone(value: str) -> str:
    """A Chinese mobile or landline number without spaces or hyphens (an international
    number keeps its leading +), or a Chinese error naming what is wrong."""
    raw = "".join(value.split()).replace("-", "")
    if raw.startswith("+") and not raw.startswith("+86"):
        if not raw[1:].isdigit() or not 7 <= len(raw) - 1 <= 15:
            raise ValidationError(_("国际电话号码应为+号加7至15位数字"), code="phone")
        return raw
    digits = raw.removeprefix("+86")
    if raw.startswith("+86") and digits[:1] not in ("0", "1"):
        digits = "0" + digits  # +86 851 ... drops the trunk 0 of the area code
    if not digits.isdigit():
        raise ValidationError(_("电话号码只能包含数字"), code="phone")
    if digits.startswith("1"):
        if not _MOBILE.fullmatch(digits):
            raise ValidationError(_("手机号码应为以1开头的11位数字"), code="mobile")
    elif digits.startswith("0"):
        if not _LANDLINE.fullmatch(digits):
            raise ValidationError(
                _("固定电话应为区号加7至8位号码,如 0851-86801234"), code="landline"
            )
    elif not (_LOCAL.fullmatch(digits) or _SERVICE.fullmatch(digits)):
        raise ValidationError(_("电话号码应为11位手机号码或7至8位固定电话号码"), code="phone")
    return raw


def id_number_index(number: str) -> str:
    return blind_index(number, purpose="id_number") if number else ""


def phone_index(phone: str) -> str:
    return blind_index(phone, purpose="phone") if phone else ""


def address_index(address: str) -> str:
    return blind_index(address, purpose="address") if address else ""


# pypinyin's phrase segmentation is the dearest step of a bulk import per person, and names
# repeat a great deal (a few hundred surnames, common given names).
@lru_cache(maxsize=65536)
def name_initials(name: str) -> str:
    """Lower-case pinyin initials (张三丰 → zsf) for search by the letters people type."""
    letters = lazy_pinyin(name or "", style=Style.FIRST_LETTER, errors="ignore", strict=False)
    return "".join(letters).lower()[:40]


def make_resident_id(area_code: str, birth: date, serial: int, *, male: bool) -> str:
    """A synthetic resident ID with a valid check digit (for the demo and tests). The 3-digit
    sequence is odd for men and even for women, as in real numbers."""
    sequence = serial % 500 * 2 + (1 if male else 0)
    first17 = f"{area_code}{birth:%Y%m%d}{sequence:03d}"
    return first17 + ric_check_digit(first17)
