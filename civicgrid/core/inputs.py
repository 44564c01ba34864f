"""Form inputs the browser draws itself (``<input type="date">`` and kin).

Such an input shows and sends its value only in the ISO form (``2025-04-14``). Django's
``DateInput`` would render the language's format instead (``2025/04/14`` in zh-hans), which
the browser discards as invalid: the box looks empty, and saving the form clears the date.
Every such input is made here, with the format fixed."""

from __future__ import annotations

from typing import Any

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%H:%M")
