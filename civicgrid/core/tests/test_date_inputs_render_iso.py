"""A browser's date box takes only ``2025-04-14``: rendered in the language's own format it
looks empty, and saving the form clears the date (docs in civicgrid/core/inputs.py)."""

import re
from datetime import date, datetime, time
from pathlib import Path

from django.conf import settings
from django.utils import translation

from civicgrid.core import inputs


def test_each_input_renders_the_form_the_browser_reads() -> None:
    with translation.override("zh-hans"):
        assert 'value="2025-04-14"' in inputs.DateInput().render("d", date(2025, 4, 14))
        assert 'value="2025-04-14T09:30"' in inputs.DateTimeInput().render(
            "at", datetime(2025, 4, 14, 9, 30)
        )
        assert 'value="09:30"' in inputs.TimeInput().render("t", time(9, 30))
        assert 'type="date"' in inputs.DateInput().render("d", None)


def test_no_form_draws_a_browser_date_box_with_djangos_own_input() -> None:
    own = re.compile(r"forms\.(DateInput|DateTimeInput|TimeInput)\(")
    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for path in Path(settings.BASE_DIR, "civicgrid").rglob("*.py")
        if "tests" not in path.parts and path.name != "inputs.py" and own.search(path.read_text())
    ]
    assert offenders == []
