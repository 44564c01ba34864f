"""Password rules beyond Django's own (length, common, numeric-only, similar to the name)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class LettersAndDigitsValidator:
    """等保 2.0 level 3: a password mixes letters and digits."""

    def validate(self, password: str, user: Any = None) -> None:
        if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
            raise ValidationError(_("密码须同时包含字母和数字。"), code="password_letters_digits")

    def get_help_text(self) -> str:
        return _("密码须同时包含字母和数字。")
