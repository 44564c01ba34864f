"""Django's own zh-hans wording of its field and password messages ("确保该变量包含不超过 2000
字符(目前字符数 5000)。") means nothing to a clerk, and Django 5.2 leaves the too-short
password message in English. locale/zh_Hans rewords them; LOCALE_PATHS outranks Django."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import django
import polib  # type: ignore[import-untyped,unused-ignore]
import pytest
from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import (
    MinimumLengthValidator,
    get_default_password_validators,
    validate_password,
)
from django.core.exceptions import ValidationError
from django.utils import translation

CATALOGUE = Path(settings.BASE_DIR) / "locale/zh_Hans/LC_MESSAGES/django.po"
DJANGO = Path(django.__file__).parent


def _messages(field: forms.Field, value: object) -> list[str]:
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        field.clean(value)
    return refused.value.messages


def test_a_text_that_is_too_long_or_too_short() -> None:
    assert _messages(forms.CharField(max_length=5), "abcdefg") == ["最多 5 个字(现有 7 个)。"]
    assert _messages(forms.CharField(min_length=10), "abc") == ["至少 10 个字(现有 3 个)。"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (Decimal("12345"), "最多 4 位数字。"),
        (Decimal("1.234"), "小数部分最多 2 位。"),
        (Decimal("123.4"), "整数部分最多 2 位。"),
    ],
)
def test_a_number_with_too_many_digits(value: Decimal, message: str) -> None:
    assert _messages(forms.DecimalField(max_digits=4, decimal_places=2), value) == [message]


MIN_LENGTH = next(
    v.min_length for v in get_default_password_validators() if isinstance(v, MinimumLengthValidator)
)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1", f"密码至少 {MIN_LENGTH} 位。"),
        ("password123", "密码过于常见,请换一个。"),
        ("73915046288", "密码不能全是数字。"),
        ("zhangsan2026", "密码与用户名过于相似。"),
    ],
)
def test_password_refusals(password: str, message: str) -> None:
    user = get_user_model()(username="zhangsan")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        validate_password(password, user)
    assert message in refused.value.messages


def test_every_override_names_a_message_django_still_has() -> None:
    # An upgrade that rewords a Django message leaves our entry unused and the old wording
    # back on screen; Django's English catalogues list every msgid its sources use.
    known: set[tuple[str, str]] = set()
    for source in (DJANGO / "conf/locale", DJANGO / "contrib/auth/locale"):
        for entry in polib.pofile(str(source / "en/LC_MESSAGES/django.po")):
            known.add((entry.msgid, entry.msgid_plural))
    ours = polib.pofile(str(CATALOGUE))
    stale = [e.msgid for e in ours if (e.msgid, e.msgid_plural) not in known]
    assert stale == []
    assert all(e.translated() for e in ours)
